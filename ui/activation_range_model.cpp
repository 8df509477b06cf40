#include "activation_range_model.h"

#include <QBrush>
#include <QColor>

#include <cmath>

namespace {

QString number(double v, int prec = 4)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', prec);
}

} // namespace

ActivationRangeModel::ActivationRangeModel(QObject* parent) : QAbstractTableModel(parent) {}

void ActivationRangeModel::setDiagnosis(std::vector<bg::TensorRangeDiagnosis> tensors)
{
    beginResetModel();
    tensors_ = std::move(tensors);
    endResetModel();
}

int ActivationRangeModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(tensors_.size());
}

int ActivationRangeModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivationRangeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const bg::TensorRangeDiagnosis& d = tensors_[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TensorColumn: return QString::fromStdString(d.tensor);
        case ConsumerColumn: return QString::fromStdString(d.consumer);
        case RangeColumn: return QString("[%1, %2]").arg(number(d.lo)).arg(number(d.hi));
        case MedianSpanColumn: return number(d.medianChannelSpan);
        case RatioColumn: return number(d.ratio, 3);
        case CostColumn: return QString("%1 dB").arg(number(d.estCostDb, 3));
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == CostColumn)
        return tr("Estimated SQNR the one per-tensor scale costs against per-channel scales (uniform rounding noise, "
                  "weighted by the consumer's weights). Remedies: per-channel activation scales where the target has "
                  "them, or cross-layer equalization (as in AIMET); BiasGuard applies neither.");
    if (role == Qt::ForegroundRole && index.column() == CostColumn && d.flagged())
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= MedianSpanColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ActivationRangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TensorColumn: return tr("Tensor");
    case ConsumerColumn: return tr("Consumer");
    case RangeColumn: return tr("Range");
    case MedianSpanColumn: return tr("Median channel span");
    case RatioColumn: return tr("Ratio");
    case CostColumn: return tr("Est. cost");
    default: return {};
    }
}
