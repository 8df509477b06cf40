#include "sweep_plot.h"

#include "legend_placement.h"
#include "metric_format.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>

namespace {

// One colour per weight width, in the order the sweep names them.
QColor weightColour(size_t i)
{
    static const QColor colours[] = {QColor(40, 100, 180), QColor(200, 110, 20), QColor(120, 60, 160), QColor(30, 140, 130)};
    return colours[i % (sizeof colours / sizeof colours[0])];
}

const bg::SweepRun kRuns[] = {bg::SweepRun::Clamp, bg::SweepRun::Fixed, bg::SweepRun::ExactBias};

QString runName(bg::SweepRun run)
{
    switch (run) {
    case bg::SweepRun::Clamp: return QObject::tr("clamp");
    case bg::SweepRun::Fixed: return QObject::tr("fixed");
    case bg::SweepRun::ExactBias: return QObject::tr("exact bias");
    }
    return {};
}

constexpr double kClickRadius = 14.0;  // pixels

} // namespace

SweepPlot::SweepPlot(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(420, 260);
    xAxis->setLabel(tr("bias register width (bits)"));
    yAxis->setLabel(tr("SQNR vs float, worst output (dB)"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("out-of-range channels"));
    yAxis2->setTickLabelColor(QColor(110, 110, 110));
    yAxis2->setLabelColor(QColor(110, 110, 110));
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(ticker);
    current_ = new QCPItemStraightLine(this);
    current_->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::SolidLine));
    current_->setVisible(false);
    currentLabel_ = new QCPItemText(this);
    currentLabel_->position->setTypeX(QCPItemPosition::ptPlotCoords);
    currentLabel_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    currentLabel_->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    currentLabel_->setColor(QColor(90, 90, 90));
    currentLabel_->setBrush(QColor(255, 255, 255, 220));
    currentLabel_->setClipToAxisRect(true);
    currentLabel_->setVisible(false);
    placeLegendBelowAxes(this, 3);
    setMouseTracking(true);
    connect(this, &QCustomPlot::mouseMove, this, &SweepPlot::onMouseMove);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressPos_ = e->pos(); });
    connect(this, &QCustomPlot::mouseRelease, this, &SweepPlot::onMouseRelease);
    setSweep(nullptr, {});
}

double SweepPlot::plotted(double db) const
{
    return std::isfinite(db) ? db : infiniteAt_;
}

void SweepPlot::clearItems()
{
    for (QCPAbstractItem* item : items_)
        removeItem(item);
    items_.clear();
}

void SweepPlot::setSweep(std::shared_ptr<const bg::WidthSweep> sweep, const std::vector<bg::BiasWidthRecommendation>& recommendations)
{
    sweep_ = std::move(sweep);
    clearGraphs();
    clearItems();
    std::vector<int> weights;  // in the sweep's order
    double top = 10, bottom = 0, finiteTop = -1e300;
    int minBias = 8, maxBias = 32;
    int64_t maxOut = 1;
    if (sweep_ && !sweep_->rows.empty()) {
        minBias = maxBias = sweep_->rows.front().biasBits;
        for (const bg::SweepRow& r : sweep_->rows) {
            if (std::find(weights.begin(), weights.end(), r.weightBits) == weights.end())
                weights.push_back(r.weightBits);
            minBias = std::min(minBias, r.biasBits);
            maxBias = std::max(maxBias, r.biasBits);
            maxOut = std::max(maxOut, r.outOfRange);
            for (bg::SweepRun run : kRuns) {
                const double v = bg::worstFigures(r, run).sqnrDb;
                if (std::isfinite(v)) {
                    finiteTop = std::max(finiteTop, v);
                    bottom = std::min(bottom, v - 3);
                }
            }
        }
    }
    infiniteAt_ = finiteTop > -1e300 ? finiteTop + 10 : 60.0;
    top = std::max(top, infiniteAt_ + 5);

    for (size_t wi = 0; wi < weights.size(); ++wi) {
        const int w = weights[wi];
        const QColor colour = weightColour(wi);
        std::map<bg::SweepRun, QCPGraph*> curves;
        for (bg::SweepRun run : kRuns) {
            QCPGraph* g = addGraph(xAxis, yAxis);
            g->setName(tr("W%1 %2").arg(w).arg(runName(run)));
            switch (run) {
            case bg::SweepRun::Clamp:
                g->setPen(QPen(colour, 2));
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, Qt::white, 6));
                break;
            case bg::SweepRun::Fixed:
                g->setPen(QPen(colour.darker(130), 2, Qt::DashLine));
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, colour.darker(130), colour.lighter(150), 5));
                break;
            case bg::SweepRun::ExactBias:
                g->setPen(QPen(colour.lighter(130), 1.5, Qt::DotLine));
                break;
            }
            curves[run] = g;
        }
        QCPGraph* out = addGraph(xAxis, yAxis2);
        out->setName(tr("W%1 out of range").arg(w));
        QColor fill = colour;
        fill.setAlpha(35);
        out->setPen(QPen(colour.lighter(160), 1));
        out->setBrush(fill);
        out->setLineStyle(QCPGraph::lsStepCenter);
        for (const bg::SweepRow& r : sweep_->rows) {
            if (r.weightBits != w)
                continue;
            for (bg::SweepRun run : kRuns)
                curves[run]->addData(r.biasBits, plotted(bg::worstFigures(r, run).sqnrDb));
            out->addData(r.biasBits, static_cast<double>(r.outOfRange));
        }
        // The recommendation: a star on the run's curve and a labelled vertical line.
        for (const bg::BiasWidthRecommendation& rec : recommendations) {
            if (rec.weightBits != w)
                continue;
            auto mark = [&](const std::optional<int>& width, bg::SweepRun run, const QString& label, int slot) {
                if (!width)
                    return;
                const bg::SweepRow* row = nullptr;
                for (const bg::SweepRow& r : sweep_->rows)
                    if (r.weightBits == w && r.biasBits == *width)
                        row = &r;
                if (!row)
                    return;
                auto* line = new QCPItemStraightLine(this);
                line->point1->setCoords(*width, 0);
                line->point2->setCoords(*width, 1);
                line->setPen(QPen(run == bg::SweepRun::Clamp ? colour : colour.darker(130), 1, Qt::DashDotLine));
                auto* star = new QCPItemTracer(this);
                star->position->setCoords(*width, plotted(bg::worstFigures(*row, run).sqnrDb));
                star->setStyle(QCPItemTracer::tsCircle);
                star->setSize(13);
                star->setPen(QPen(QColor(20, 20, 20), 2));
                star->setBrush(Qt::NoBrush);
                auto* text = new QCPItemText(this);
                text->setText(tr("W%1 %2: %3 bit").arg(w).arg(label).arg(*width));
                text->setColor(colour.darker(140));
                text->position->setTypeX(QCPItemPosition::ptPlotCoords);
                text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
                text->position->setCoords(*width, 0.02 + 0.06 * slot);
                // Right of the line, or left of it in the upper half of the range (never clipped).
                const bool leftOfLine = *width > (minBias + maxBias) / 2;
                text->setPositionAlignment((leftOfLine ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
                text->setPadding(QMargins(3, 0, 3, 0));
                text->setBrush(QColor(255, 255, 255, 200));
                text->setClipToAxisRect(true);
                items_.insert(items_.end(), {line, star, text});
            };
            mark(rec.withoutFix, bg::SweepRun::Clamp, tr("no fix needed from"), static_cast<int>(2 * wi));
            mark(rec.withFix, bg::SweepRun::Fixed, tr("with the fix from"), static_cast<int>(2 * wi + 1));
        }
    }
    xAxis->setRange(minBias - 0.5, maxBias + 0.5);
    yAxis->setRange(bottom, top);
    yAxis2->setRange(0, static_cast<double>(maxOut) * 1.1);
    legend->setVisible(!weights.empty());
    replot();
}

void SweepPlot::setCurrent(int weightBits, int biasBits)
{
    current_->setVisible(weightBits > 0);
    current_->point1->setCoords(biasBits, 0);
    current_->point2->setCoords(biasBits, 1);
    currentLabel_->setVisible(weightBits > 0);
    currentLabel_->setText(tr("analysed: W%1, %2-bit").arg(weightBits).arg(biasBits));
    currentLabel_->position->setCoords(biasBits, 0.99);
    replot();
}

std::optional<QPointF> SweepPlot::pointPosition(int weightBits, int biasBits, bg::SweepRun run) const
{
    if (!sweep_)
        return std::nullopt;
    for (const bg::SweepRow& r : sweep_->rows)
        if (r.weightBits == weightBits && r.biasBits == biasBits)
            return QPointF(xAxis->coordToPixel(r.biasBits), yAxis->coordToPixel(plotted(bg::worstFigures(r, run).sqnrDb)));
    return std::nullopt;
}

std::optional<SweepPlot::Hit> SweepPlot::pointAt(const QPointF& pos) const
{
    if (!sweep_)
        return std::nullopt;
    std::optional<Hit> best;
    double bestDistance = kClickRadius;
    for (size_t i = 0; i < sweep_->rows.size(); ++i) {
        const bg::SweepRow& r = sweep_->rows[i];
        for (bg::SweepRun run : kRuns) {
            const QPointF p(xAxis->coordToPixel(r.biasBits), yAxis->coordToPixel(plotted(bg::worstFigures(r, run).sqnrDb)));
            const double d = std::hypot(p.x() - pos.x(), p.y() - pos.y());
            if (d < bestDistance) {
                bestDistance = d;
                best = Hit{i, run};
            }
        }
    }
    return best;
}

QString SweepPlot::describe(const Hit& hit) const
{
    const bg::SweepRow& r = sweep_->rows[hit.row];
    return tr("<b>W%1, %2-bit bias</b> (%3)<br>SQNR clamp %4 · fixed %5 · exact %6<br>%7 out of range, %8 unfixable, "
              "the fix changes %9<br><i>click to analyse at this width</i>")
        .arg(r.weightBits)
        .arg(r.biasBits)
        .arg(runName(hit.run))
        .arg(formatDb(bg::worstFigures(r, bg::SweepRun::Clamp).sqnrDb), formatDb(bg::worstFigures(r, bg::SweepRun::Fixed).sqnrDb),
             formatDb(bg::worstFigures(r, bg::SweepRun::ExactBias).sqnrDb))
        .arg(r.outOfRange)
        .arg(r.unfixable)
        .arg(r.channelsChanged);
}

void SweepPlot::onMouseMove(QMouseEvent* event)
{
    const auto hit = pointAt(event->position());
    hoverText_ = hit ? describe(*hit) : QString();
    if (hit)
        QToolTip::showText(event->globalPosition().toPoint(), hoverText_, this);
    else
        QToolTip::hideText();
}

void SweepPlot::onMouseRelease(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || (event->pos() - pressPos_).manhattanLength() > 3)
        return;
    if (const auto hit = pointAt(event->position())) {
        const bg::SweepRow& r = sweep_->rows[hit->row];
        emit widthClicked(r.weightBits, r.biasBits);
    }
}
