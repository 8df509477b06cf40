#include "layer_comparison_model.h"

#include "metric_format.h"

#include <QBrush>
#include <QColor>

LayerComparisonModel::LayerComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerComparisonModel::setComparison(std::shared_ptr<const bg::ModelComparison> comparison)
{
    beginResetModel();
    comparison_ = std::move(comparison);
    endResetModel();
}

int LayerComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !comparison_ ? 0 : static_cast<int>(comparison_->layers.size());
}

int LayerComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!comparison_ || !index.isValid() || index.row() >= rowCount())
        return {};
    const bg::LayerComparison& l = comparison_->layers[static_cast<size_t>(index.row())];
    if (role == Qt::ForegroundRole && index.column() == SqnrClampColumn && l.outOfRange > 0)
        return QBrush(QColor(0xc0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= OutOfRangeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    switch (index.column()) {
    case NameColumn: return QString::fromStdString(l.name);
    case OpColumn: return QString::fromStdString(l.op);
    case OutOfRangeColumn: return static_cast<qlonglong>(l.outOfRange);
    case ChangedColumn: return static_cast<qlonglong>(l.changedChannels);
    case SqnrClampColumn: return raw ? QVariant(l.quantized.sqnrDb) : QVariant(formatDb(l.quantized.sqnrDb));
    case SqnrFixedColumn: return raw ? QVariant(l.fixed.sqnrDb) : QVariant(formatDb(l.fixed.sqnrDb));
    case IsolatedClampColumn:
        return raw ? QVariant(l.isolatedQuantized.sqnrDb) : QVariant(formatDb(l.isolatedQuantized.sqnrDb));
    case IsolatedFixedColumn:
        return raw ? QVariant(l.isolatedFixed.sqnrDb) : QVariant(formatDb(l.isolatedFixed.sqnrDb));
    case CosineClampColumn: return raw ? QVariant(l.quantized.cosine) : QVariant(QString::number(l.quantized.cosine, 'f', 6));
    case CosineFixedColumn: return raw ? QVariant(l.fixed.cosine) : QVariant(QString::number(l.fixed.cosine, 'f', 6));
    case RmseScaleFixedColumn:
        if (!l.fixed.rmseOverScale)
            return {};
        return raw ? QVariant(*l.fixed.rmseOverScale) : QVariant(QString::number(*l.fixed.rmseOverScale, 'f', 3));
    default: return {};
    }
}

QVariant LayerComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char* names[] = {"Layer", "Op", "Out of range", "Fixed channels", "SQNR clamp", "SQNR fixed",
                                  "Alone: clamp", "Alone: fixed", "Cosine clamp", "Cosine fixed", "rmse/scale fixed"};
    static const char* tips[] = {"", "", "channels whose naive merged bias leaves the register",
                                 "channels whose fixed strategy is not the naive fold", "dB, naive fold (saturating)",
                                 "dB, with the fix plan",
                                 "dB, the layer alone on the float model's input to it (upstream errors removed)",
                                 "dB, the layer alone with the fix plan", "", "",
                                 "TFLite's figure: about 0.29 when the layer is quantized as well as it can be"};
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole && *tips[section])
        return tr(tips[section]);
    return {};
}
