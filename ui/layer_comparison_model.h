#pragma once
// Per fusion group: how far the integer pipeline is from float with the naive fold (clamp) and
// with the fix plan — the table that shows which layers the overflow damaged and that the fix
// restored them.
#include "comparison/model_comparison.h"

#include <QAbstractTableModel>

#include <memory>

class LayerComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, OpColumn, OutOfRangeColumn, ChangedColumn, SqnrClampColumn, SqnrFixedColumn,
                  IsolatedClampColumn, IsolatedFixedColumn, CosineClampColumn, CosineFixedColumn, RmseScaleFixedColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerComparisonModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const bg::ModelComparison> comparison);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const bg::ModelComparison> comparison_;
};
