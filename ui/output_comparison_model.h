#pragma once
// Per graph output: QUANT_SPEC §8 metrics of the quantized (clamp) and fixed integer runs, and the
// SQNR of the 32-bit-bias reference run (what a bias fix can reach); with labels, the task accuracy.
#include "comparison/model_comparison.h"

#include <QAbstractTableModel>

#include <memory>

class OutputComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SqnrClampColumn, SqnrFixedColumn, CosineClampColumn, CosineFixedColumn,
                  MaxAbsClampColumn, MaxAbsFixedColumn, Top1ClampColumn, Top1FixedColumn, SqnrExactBiasColumn,
                  // Task accuracy with labels (issue 13), empty on the outputs not scored.
                  AccuracyFloatColumn, AccuracyClampColumn, AccuracyFixedColumn, AccuracyExactBiasColumn,
                  ColumnCount };
    // Whether any output carries a task accuracy (the panel shows the accuracy columns only then).
    bool hasAccuracy() const;

    explicit OutputComparisonModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const bg::ModelComparison> comparison);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const bg::ModelComparison> comparison_;
};
