#pragma once
// The channels of one analysed layer with every per-channel figure of QUANT_SPEC §9.
#include "analysis/fold_analysis.h"

#include <QAbstractTableModel>

#include <memory>

class ChannelTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ChannelColumn, GammaColumn, FoldFactorColumn, BiasFloatColumn, WeightScaleColumn, BiasExactColumn,
                  BitsColumn, OutOfRangeColumn, BitsSeparatedColumn, StrategyColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ChannelTableModel(QObject* parent = nullptr);
    // The analysis owns the layer; the model keeps the analysis alive.
    void setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex);
    int layerIndex() const { return layerIndex_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const bg::LayerAnalysis* layer() const;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    int layerIndex_ = -1;
};
