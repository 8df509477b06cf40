#include "sensitivity_channel_model.h"

#include <QBrush>
#include <QColor>

SensitivityChannelModel::SensitivityChannelModel(QObject* parent) : QAbstractTableModel(parent) {}

void SensitivityChannelModel::setLayer(std::shared_ptr<const bg::FixSensitivity> sensitivity, int layer)
{
    beginResetModel();
    sensitivity_ = std::move(sensitivity);
    layer_ = sensitivity_ && layer >= 0 && layer < static_cast<int>(sensitivity_->layers.size()) ? layer : -1;
    endResetModel();
}

const bg::LayerSensitivity* SensitivityChannelModel::layer() const
{
    return layer_ >= 0 ? &sensitivity_->layers[static_cast<size_t>(layer_)] : nullptr;
}

int SensitivityChannelModel::rowCount(const QModelIndex& parent) const
{
    const bg::LayerSensitivity* l = layer();
    return parent.isValid() || !l ? 0 : static_cast<int>(l->channels.size());
}

int SensitivityChannelModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SensitivityChannelModel::data(const QModelIndex& index, int role) const
{
    const bg::LayerSensitivity* l = layer();
    if (!l || !index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const bg::ChannelShare& c = l->channels[static_cast<size_t>(index.row())];
    if (role == Qt::ForegroundRole && c.outOfRange)
        return QBrush(QColor(0xc0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (index.column()) {
    case ChannelColumn: return static_cast<qlonglong>(c.channel);
    case ShareColumn: return raw ? QVariant(c.share) : QVariant(QString::number(100.0 * c.share, 'f', 1) + QStringLiteral(" %"));
    case OutOfRangeColumn: return raw ? QVariant(c.outOfRange) : QVariant(c.outOfRange ? tr("out of range") : QString());
    default: return {};
    }
}

QVariant SensitivityChannelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char* names[] = {"Channel", "Share of error", "Register"};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole && section == ShareColumn)
        return tr("of the layer's squared error in the clamp run (propagated)");
    return {};
}
