#pragma once
// Per-layer SQNR of the integer pipeline against float: naive fold (clamp) beside the fix plan.
// Layers whose merged bias overflowed drop sharply under clamp and recover with the fix.
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
};
