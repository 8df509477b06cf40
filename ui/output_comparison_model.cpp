#include "output_comparison_model.h"

#include "metric_format.h"

OutputComparisonModel::OutputComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

void OutputComparisonModel::setComparison(std::shared_ptr<const bg::ModelComparison> comparison)
{
    beginResetModel();
    comparison_ = std::move(comparison);
    endResetModel();
}

int OutputComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !comparison_ ? 0 : static_cast<int>(comparison_->outputs.size());
}

int OutputComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QVariant top1(const std::optional<double>& v)
{
    return v ? QVariant(QString::number(100.0 * *v, 'f', 1) + " %") : QVariant();
}

QVariant OutputComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!comparison_ || !index.isValid() || index.row() >= rowCount())
        return {};
    if (role == Qt::TextAlignmentRole && index.column() != NameColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const bg::OutputComparison& o = comparison_->outputs[static_cast<size_t>(index.row())];
    switch (index.column()) {
    case NameColumn: return QString::fromStdString(o.name);
    case SqnrClampColumn: return formatDb(o.quantized.sqnrDb);
    case SqnrFixedColumn: return formatDb(o.fixed.sqnrDb);
    case CosineClampColumn: return QString::number(o.quantized.cosine, 'f', 6);
    case CosineFixedColumn: return QString::number(o.fixed.cosine, 'f', 6);
    case MaxAbsClampColumn: return QString::number(o.quantized.maxAbs, 'g', 4);
    case MaxAbsFixedColumn: return QString::number(o.fixed.maxAbs, 'g', 4);
    case Top1ClampColumn: return top1(o.quantized.top1);
    case Top1FixedColumn: return top1(o.fixed.top1);
    case SqnrExactBiasColumn: return o.exactBias ? formatDb(o.exactBias->sqnrDb) : QVariant();
    case AccuracyFloatColumn: return o.accuracy ? top1(o.accuracy->floatModel) : QVariant();
    case AccuracyClampColumn: return o.accuracy ? top1(o.accuracy->quantized) : QVariant();
    case AccuracyFixedColumn: return o.accuracy ? top1(o.accuracy->fixed) : QVariant();
    case AccuracyExactBiasColumn: return o.accuracy ? top1(o.accuracy->exactBias) : QVariant();
    default: return {};
    }
}

bool OutputComparisonModel::hasAccuracy() const
{
    if (comparison_)
        for (const auto& o : comparison_->outputs)
            if (o.accuracy)
                return true;
    return false;
}

QVariant OutputComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"Output", "SQNR clamp", "SQNR fixed", "Cosine clamp", "Cosine fixed",
                                  "Max |Δ| clamp", "Max |Δ| fixed", "Top-1 clamp", "Top-1 fixed", "SQNR exact bias",
                                  "Accuracy float", "Accuracy clamp", "Accuracy fixed", "Accuracy exact bias"};
    return section >= 0 && section < ColumnCount ? QVariant(tr(names[section])) : QVariant();
}
