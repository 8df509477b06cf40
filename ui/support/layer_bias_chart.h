#pragma once
// One layer, channel by channel: the merged bias q_b,c of the naive fold against the band the
// n_b-bit register can represent (shaded), out-of-range channels in red, and beside each the
// register contents under the fix plan (the pre register; the post register as a marker where the
// strategy uses one: separate's split, constant). Values span 1 to 2^60, so the value axis is
// sign·log2(1+|q|), labelled ±2^k: the band and a 30-bit overflow are both readable.
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"

#include <qcustomplot.h>

#include <memory>

class LayerBiasChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit LayerBiasChart(QWidget* parent = nullptr);
    void setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex, const bg::FixPlan& plan);

    // The axis transform: sign(q)·log2(1+|q|).
    static double axisValue(double q);
    int outOfRangeCount() const { return outOfRange_->dataCount(); }

private:
    QCPBars* inRange_ = nullptr;
    QCPBars* outOfRange_ = nullptr;
    QCPBars* fixed_ = nullptr;
    QCPGraph* post_ = nullptr;
    QCPItemRect* band_ = nullptr;
};
