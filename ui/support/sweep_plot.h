#pragma once
// The width sweep's chart, on the Sweep tab and in the PDF report: output SQNR (worst output) of
// clamp, the fix and the exact-bias reference against the bias register width, one colour per weight width; the out-of-range channel
// count on the right axis; the recommended widths (bg::recommendBiasWidths) marked with a star and a
// vertical line; the width the analysis shows marked in grey. Hover reads a point out; a click
// near a curve emits widthClicked(weight width, bias width) so that the window analyses there.
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <qcustomplot.h>

#include <memory>
#include <optional>
#include <vector>

class SweepPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit SweepPlot(QWidget* parent = nullptr);

    void setSweep(std::shared_ptr<const bg::WidthSweep> sweep, const std::vector<bg::BiasWidthRecommendation>& recommendations);
    // The setting the analysis shows (a grey line); weightBits 0: none.
    void setCurrent(int weightBits, int biasBits);
    // Where the point of `run` at (weightBits, biasBits) is drawn, in widget pixels; null when
    // the sweep has no such row.
    std::optional<QPointF> pointPosition(int weightBits, int biasBits, bg::SweepRun run) const;
    // What the SQNR axis shows for `db`: an exact match (+inf) is drawn at the top of the axis.
    double plotted(double db) const;
    QString hoverText() const { return hoverText_; }
    // Recommended widths marked (a line, a ring and a label each).
    int markCount() const { return static_cast<int>(items_.size() / 3); }

signals:
    void widthClicked(int weightBits, int biasBits);

private:
    struct Hit {
        size_t row;
        bg::SweepRun run;
    };
    std::optional<Hit> pointAt(const QPointF& pos) const;
    QString describe(const Hit& hit) const;
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void clearItems();

    std::shared_ptr<const bg::WidthSweep> sweep_;
    double infiniteAt_ = 60.0;   // where +inf SQNR is drawn
    std::vector<QCPAbstractItem*> items_;  // recommendation marks, rebuilt with each sweep
    QCPItemStraightLine* current_ = nullptr;
    QCPItemText* currentLabel_ = nullptr;
    QString hoverText_;
    QPoint pressPos_;
};
