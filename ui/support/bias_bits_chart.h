#pragma once
// Every analysed channel as a point: |γ| (log axis) against the bits its merged bias needs, with
// the bias register width as a line. The overflow mechanism is visible at a glance: points climb
// above the line as |γ| → 0. The same class draws the screen chart and the PDF report's figure.
//
// On screen: hovering a point shows its channel's figures (layer, channel, γ, σ, a, b', B_c, bits,
// strategy) as a tooltip, a click on a point emits channelClicked, a left drag zooms into the
// rectangle, the wheel zooms, a double click shows everything again.
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"

#include <qcustomplot.h>

#include <memory>
#include <optional>
#include <vector>

class BiasBitsChart : public QCustomPlot {
    Q_OBJECT
public:
    struct PointRef {
        int layer = -1;  // index into FoldAnalysis::layers
        int row = -1;    // index into that layer's channels
        bool operator==(const PointRef&) const = default;
    };

    explicit BiasBitsChart(QWidget* parent = nullptr);
    // layerIndex >= 0 highlights that layer's channels.
    void setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex = -1);

    // The plan whose strategy the read-out names (FixPlan::resolved); auto until set.
    void setPlan(const bg::FixPlan& plan) { plan_ = plan; }

    int inRangePointCount() const;
    int outOfRangePointCount() const;

    // The channel drawn nearest to `pixel` within a few pixels, if any.
    std::optional<PointRef> pointAt(const QPointF& pixel) const;
    // Where a channel's point is drawn, in widget pixels (for tests and the hover read-out).
    QPointF pixelOf(const PointRef& point) const;
    // The hover read-out of one channel.
    QString describe(const PointRef& point) const;
    // What the last hover showed (empty when the mouse is over no point).
    QString hoverText() const { return hoverText_; }
    // Back to the full range of the data (what a double click does).
    void resetZoom();

signals:
    void channelClicked(int layer, int row);

private:
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    double plotGamma(const bg::ChannelAnalysis& c) const;

    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    bg::FixPlan plan_{bg::Strategy::Auto};
    std::vector<PointRef> points_;  // every channel, for hit tests
    QCPGraph* inRange_ = nullptr;
    QCPGraph* outOfRange_ = nullptr;
    QCPGraph* highlight_ = nullptr;
    QCPItemStraightLine* limit_ = nullptr;
    QCPItemText* limitLabel_ = nullptr;
    QCPRange fullX_{1e-3, 10}, fullY_{0, 20};
    QPoint pressPos_;
    QString hoverText_;
};
