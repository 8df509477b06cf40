#pragma once
// Model-wide: how many channels need how many bias bits, for the naive fold and under the fix plan,
// side by side per bit count (log count axis: ten overflowing channels beside ten thousand in
// range must both show), with the bias register width as a line. Channels right of the line
// saturate; the plan moves them left of it.
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"

#include <qcustomplot.h>

#include <map>
#include <memory>

class BitsHistogramChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit BitsHistogramChart(QWidget* parent = nullptr);
    // `plan` resolves each channel's strategy after the fix (FixPlan::resolved).
    void setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan);

    // Channels per bit count, as drawn.
    const std::map<int, int64_t>& naiveCounts() const { return naive_; }
    const std::map<int, int64_t>& fixedCounts() const { return fixed_; }

private:
    QCPBars* naiveBars_ = nullptr;
    QCPBars* fixedBars_ = nullptr;
    QCPItemStraightLine* limit_ = nullptr;
    QCPItemText* limitLabel_ = nullptr;
    std::map<int, int64_t> naive_, fixed_;
};
