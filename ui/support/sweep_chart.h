#pragma once
// The width sweep of issue 12 as one chart: the worst output's SQNR against the bias register
// width for the three integer runs (clamp: solid, the fix: dashed, exact bias: dotted), one colour
// per weight width; the out-of-range channel count as pale bars on the right axis (log: one
// channel beside thousands must show); and the recommended widths (bg::recommendBiasWidths) marked
// where they sit on their run's line and labelled. The same class draws the GUI's Sweep tab and the
// PDF report's figure. A click on a row's point or bar emits the widths to analyse at.
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <qcustomplot.h>

#include <vector>

class SweepChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit SweepChart(QWidget* parent = nullptr);
    void setSweep(const bg::WidthSweep& sweep);

    // What the chart marks, as computed from the sweep's rows.
    const std::vector<bg::BiasWidthRecommendation>& recommendations() const { return recommendations_; }
    // Lines drawn (three per weight width) and recommendation marks placed.
    int lineCount() const { return static_cast<int>(lines_.size()); }
    int markCount() const { return marks_; }

signals:
    // The setting of the point or bar clicked.
    void widthClicked(int weightBits, int biasBits);

private:
    void onPlottableClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent* event);

    std::vector<bg::BiasWidthRecommendation> recommendations_;
    std::vector<QCPGraph*> lines_;
    std::vector<int> lineWeightBits_;  // the weight width of each of lines_
    std::vector<std::pair<QCPBars*, int>> bars_;
    int marks_ = 0;
};
