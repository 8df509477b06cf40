#pragma once
// The channels of one analysed layer with every per-channel figure of QUANT_SPEC §9, and the fix
// plan's strategy per channel. The plan column is editable: an edit is not stored here but emitted
// as strategyEdited (the PlanEditor applies it, undoably, and hands the new plan back via setPlan).
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"

#include <QAbstractTableModel>

#include <memory>

class ChannelTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ChannelColumn, GammaColumn, FoldFactorColumn, BiasFloatColumn, WeightScaleColumn, BiasExactColumn,
                  BitsColumn, OutOfRangeColumn, BitsSeparatedColumn, StrategyColumn, SplitErrorColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ChannelTableModel(QObject* parent = nullptr);
    // The analysis owns the layer; the model keeps the analysis alive.
    void setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex);
    int layerIndex() const { return layerIndex_; }
    // The plan whose choices the Strategy column shows ("auto: separate" where it has no entry).
    void setPlan(const bg::FixPlan& plan);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Strategy column, Qt::EditRole, a strategy name: emits strategyEdited (unknown names: false).
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

signals:
    void strategyEdited(const std::string& layer, int64_t channel, bg::Strategy strategy);

private:
    const bg::LayerAnalysis* layer() const;
    // The Plan column (display/sort, edit and font roles), looked up in the plan only for it.
    QVariant planData(const bg::LayerAnalysis& l, const bg::ChannelAnalysis& c, int role) const;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    int layerIndex_ = -1;
    bg::FixPlan plan_{bg::Strategy::Auto};
};
