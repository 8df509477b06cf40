#pragma once
// One row per foldable pair of the analysis: the overview users scan for red layers.
#include "analysis/fold_analysis.h"

#include <QAbstractTableModel>

#include <memory>

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, OpColumn, BnColumn, ChannelsColumn, OutOfRangeColumn, CrushedColumn, MaxBitsColumn,
                  InputScaleColumn, ColumnCount };
    // Sort/raw value role: numbers as numbers so a proxy sorts them numerically.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit LayerTableModel(QObject* parent = nullptr);
    void setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis);
    const bg::LayerAnalysis* layer(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
};
