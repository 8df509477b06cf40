#pragma once
// The activation-range diagnosis (issue 13) as a table: one row per quantized tensor, worst
// estimated cost first — tensor, consumer, range, median channel span, ratio, estimated cost.
#include "analysis/activation_diagnosis.h"

#include <QAbstractTableModel>

#include <vector>

class ActivationRangeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TensorColumn, ConsumerColumn, RangeColumn, MedianSpanColumn, RatioColumn, CostColumn, ColumnCount };

    explicit ActivationRangeModel(QObject* parent = nullptr);
    void setDiagnosis(std::vector<bg::TensorRangeDiagnosis> tensors);
    const std::vector<bg::TensorRangeDiagnosis>& diagnosis() const { return tensors_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<bg::TensorRangeDiagnosis> tensors_;
};
