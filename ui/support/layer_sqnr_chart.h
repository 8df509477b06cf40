#pragma once
// Per-layer SQNR of the integer pipeline against float: naive fold (clamp) beside the fix plan.
// Layers whose merged bias overflowed drop sharply under clamp and recover with the fix. Bars: the
// propagated figures (each run feeds its own upstream outputs); markers: the layer alone (fed the
// float model's input), which shows the layer's own damage without what came from upstream.
#include "comparison/model_comparison.h"

#include <qcustomplot.h>

#include <memory>

class LayerSqnrChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit LayerSqnrChart(QWidget* parent = nullptr);
    void setComparison(std::shared_ptr<const bg::ModelComparison> comparison);

private:
    QCPBars* clamp_ = nullptr;
    QCPBars* fixed_ = nullptr;
    QCPBarsGroup* group_ = nullptr;
    QCPGraph* isolatedClamp_ = nullptr;
    QCPGraph* isolatedFixed_ = nullptr;
};
