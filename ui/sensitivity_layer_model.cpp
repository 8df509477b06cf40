#include "sensitivity_layer_model.h"

#include "metric_format.h"

#include <QBrush>
#include <QColor>

SensitivityLayerModel::SensitivityLayerModel(QObject* parent) : QAbstractTableModel(parent) {}

void SensitivityLayerModel::setSensitivity(std::shared_ptr<const bg::FixSensitivity> sensitivity)
{
    beginResetModel();
    sensitivity_ = std::move(sensitivity);
    endResetModel();
}

int SensitivityLayerModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !sensitivity_ ? 0 : static_cast<int>(sensitivity_->layers.size());
}

int SensitivityLayerModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SensitivityLayerModel::data(const QModelIndex& index, int role) const
{
    if (!sensitivity_ || !index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const size_t i = static_cast<size_t>(index.row());
    const bg::LayerSensitivity& l = sensitivity_->layers[i];
    const bool needed = i < sensitivity_->layersNeeded;
    if (role == Qt::BackgroundRole && needed)
        return QBrush(QColor(0xdc, 0xf0, 0xdc));
    if (role == Qt::TextAlignmentRole && index.column() != LayerColumn && index.column() != NeededColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (index.column()) {
    case RankColumn: return index.row() + 1;
    case LayerColumn: return QString::fromStdString(l.layer);
    case OutOfRangeColumn: return static_cast<qlonglong>(l.outOfRange);
    case ChangedColumn: return static_cast<qlonglong>(l.changedChannels);
    case SqnrColumn: return raw ? QVariant(l.sqnrDb) : QVariant(formatDb(l.sqnrDb));
    case GainColumn: return raw ? QVariant(l.gainDb) : QVariant(formatDb(l.gainDb));
    case NeededColumn: return raw ? QVariant(needed) : QVariant(needed ? tr("in the 90 % plan") : QString());
    default: return {};
    }
}

QVariant SensitivityLayerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char* names[] = {"#", "Layer", "Out of range", "Changed", "SQNR", "Gain", "Smallest plan"};
    static const char* tips[] = {"rank by gain", "", "channels whose naive merged bias leaves the register",
                                 "channels the plan runs with another strategy than the naive fold",
                                 "worst output's SQNR with only this layer fixed (every other channel clamp)",
                                 "SQNR gained over clamp everywhere by fixing this layer alone",
                                 "the fewest top-ranked layers whose fix gives 90 % of the whole plan's gain"};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole && *tips[section])
        return tr(tips[section]);
    return {};
}
