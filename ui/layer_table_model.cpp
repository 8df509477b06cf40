#include "layer_table_model.h"

#include <QBrush>
#include <QColor>

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis)
{
    beginResetModel();
    analysis_ = std::move(analysis);
    endResetModel();
}

const bg::LayerAnalysis* LayerTableModel::layer(int row) const
{
    if (!analysis_ || row < 0 || row >= static_cast<int>(analysis_->layers.size()))
        return nullptr;
    return &analysis_->layers[static_cast<size_t>(row)];
}

int LayerTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !analysis_ ? 0 : static_cast<int>(analysis_->layers.size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const
{
    const bg::LayerAnalysis* l = index.isValid() ? layer(index.row()) : nullptr;
    if (!l)
        return {};
    if (role == Qt::ForegroundRole && index.column() == OutOfRangeColumn && l->outOfRange > 0)
        return QBrush(QColor(0xc0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= ChannelsColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case NameColumn: return QString::fromStdString(l->name);
    case OpColumn: return QString::fromStdString(l->op);
    case BnColumn: return QString::fromStdString(l->bn);
    case ChannelsColumn: return static_cast<qlonglong>(l->channels.size());
    case OutOfRangeColumn: return static_cast<qlonglong>(l->outOfRange);
    case CrushedColumn: return static_cast<qlonglong>(l->crushed);
    case MaxBitsColumn: return l->maxBits;
    case InputScaleColumn: return role == SortRole ? QVariant(l->inputScale) : QVariant(QString::number(l->inputScale, 'g', 4));
    default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"Layer", "Op", "BatchNorm", "Channels", "Out of range", "Crushed", "Max bits", "Input scale"};
    return section >= 0 && section < ColumnCount ? QVariant(tr(names[section])) : QVariant();
}
