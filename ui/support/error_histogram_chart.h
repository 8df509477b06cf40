#pragma once
// How the element errors |float − integer| of one compared tensor (a graph output or a fusion-group
// output) are spread, clamp beside fixed, one bar pair per octave on a log axis. An SQNR says how
// much error there is; this says whether it is every element a little (one output step) or a few
// elements far off (a saturated bias). A layer's output step s_y is drawn as a line.
#include "comparison/error_histogram.h"

#include <qcustomplot.h>

#include <optional>

class ErrorHistogramChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ErrorHistogramChart(QWidget* parent = nullptr);
    // `outputStep`: the tensor's quantization step s_y when it has one (a fusion-group output).
    void setHistograms(const QString& title, const bg::ErrorHistogram& clamp, const bg::ErrorHistogram& fixed,
                       std::optional<double> outputStep);
    void clear();

    // Elements drawn per series (every element with a finite non-zero error).
    int64_t clampDrawn() const { return clampDrawn_; }
    int64_t fixedDrawn() const { return fixedDrawn_; }

private:
    QCPBars* clamp_ = nullptr;
    QCPBars* fixed_ = nullptr;
    QCPItemStraightLine* step_ = nullptr;
    QCPItemText* stepLabel_ = nullptr;
    QCPItemText* exactLabel_ = nullptr;
    int64_t clampDrawn_ = 0, fixedDrawn_ = 0;
};
