#include "sweep_chart.h"

#include "clean_log_ticker.h"
#include "legend_placement.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace {

// One colour per weight width, in the order the sweep names them.
QColor weightColour(size_t i)
{
    static const QColor palette[] = {QColor(40, 100, 180), QColor(215, 110, 20), QColor(130, 60, 160),
                                     QColor(20, 140, 140), QColor(150, 90, 40), QColor(90, 90, 90)};
    return palette[i % std::size(palette)];
}

// Bars start below 1 so that a single out-of-range channel is a visible bar on the log axis.
constexpr double kBarBase = 0.7;

} // namespace

SweepChart::SweepChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 240);
    xAxis->setLabel(tr("bias register width n_b (bits)"));
    QSharedPointer<QCPAxisTickerFixed> bits(new QCPAxisTickerFixed);
    bits->setTickStep(1);  // widths are integers
    bits->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(bits);
    yAxis->setLabel(tr("SQNR vs float, worst output (dB)"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("out-of-range channels"));
    CleanLogTicker::install(yAxis2, true);
    placeLegendBelowAxes(this, 4);
    connect(this, &QCustomPlot::plottableClick, this, &SweepChart::onPlottableClick);
}

void SweepChart::setSweep(const bg::WidthSweep& sweep)
{
    clearPlottables();
    clearItems();
    lines_.clear();
    lineWeightBits_.clear();
    bars_.clear();
    marks_ = 0;
    recommendations_ = bg::recommendBiasWidths(sweep.rows);

    // Rows per weight width (in the sweep's order), by bias width.
    std::vector<int> weights;
    std::map<int, std::map<int, const bg::SweepRow*>> byWeight;
    int lo = 64, hi = 0;
    double top = 0, bottom = 1e9;
    int64_t most = 1;
    for (const bg::SweepRow& r : sweep.rows) {
        if (!byWeight.count(r.weightBits))
            weights.push_back(r.weightBits);
        byWeight[r.weightBits][r.biasBits] = &r;
        lo = std::min(lo, r.biasBits);
        hi = std::max(hi, r.biasBits);
        most = std::max(most, r.outOfRange);
        for (bg::SweepRun run : {bg::SweepRun::Clamp, bg::SweepRun::Fixed, bg::SweepRun::ExactBias}) {
            const double v = bg::worstFigures(r, run).sqnrDb;
            if (std::isfinite(v)) {
                top = std::max(top, v);
                bottom = std::min(bottom, v);
            }
        }
    }
    if (bottom > top)
        bottom = 0;
    // An exact match (+inf dB) is drawn a little above the highest finite figure.
    const double ceiling = top + 5;
    auto plotted = [ceiling](double v) { return std::isinf(v) && v > 0 ? ceiling : v; };  // NaN: a gap

    auto* group = new QCPBarsGroup(this);
    group->setSpacing(1);
    const double barWidth = 0.8 / static_cast<double>(std::max<size_t>(weights.size(), 1));
    struct RunStyle {
        bg::SweepRun run;
        Qt::PenStyle pen;
        QCPScatterStyle::ScatterShape shape;
        const char* name;
    };
    const RunStyle runs[] = {{bg::SweepRun::Clamp, Qt::SolidLine, QCPScatterStyle::ssCircle, QT_TR_NOOP("clamp")},
                             {bg::SweepRun::Fixed, Qt::DashLine, QCPScatterStyle::ssSquare, QT_TR_NOOP("fixed")},
                             {bg::SweepRun::ExactBias, Qt::DotLine, QCPScatterStyle::ssNone, QT_TR_NOOP("exact bias")}};
    for (size_t w = 0; w < weights.size(); ++w) {
        const int weightBits = weights[w];
        const QColor colour = weightColour(w);
        const auto& rows = byWeight[weightBits];
        for (const RunStyle& style : runs) {
            QVector<double> x, y;
            for (const auto& [bias, row] : rows) {
                x << bias;
                y << plotted(bg::worstFigures(*row, style.run).sqnrDb);
            }
            QCPGraph* g = addGraph(xAxis, yAxis);
            g->setName(tr("W%1 %2").arg(weightBits).arg(tr(style.name)));
            g->setPen(QPen(colour, style.run == bg::SweepRun::ExactBias ? 1.2 : 1.8, style.pen));
            g->setScatterStyle(QCPScatterStyle(style.shape, QPen(colour, 1.2), Qt::white, 5));
            g->setData(x, y, true);
            lines_.push_back(g);
            lineWeightBits_.push_back(weightBits);
        }
        QVector<double> x, n;
        for (const auto& [bias, row] : rows) {
            x << bias;
            n << static_cast<double>(row->outOfRange);
        }
        auto* bars = new QCPBars(xAxis, yAxis2);
        bars->setName(tr("W%1 out of range").arg(weightBits));
        QColor pale = colour;
        pale.setAlpha(45);
        bars->setBrush(pale);
        bars->setPen(Qt::NoPen);
        bars->setWidth(barWidth);
        bars->setBaseValue(kBarBase);
        bars->setBarsGroup(group);
        bars->setData(x, n, true);
        bars->setLayer("background");
        bars_.emplace_back(bars, weightBits);
    }

    // The recommendation: a star on the run's line at the width, labelled, per weight width.
    for (const bg::BiasWidthRecommendation& rec : recommendations_) {
        const auto it = std::find(weights.begin(), weights.end(), rec.weightBits);
        const QColor colour = weightColour(static_cast<size_t>(it - weights.begin()));
        const auto& rows = byWeight[rec.weightBits];
        auto mark = [&](const std::optional<int>& width, bg::SweepRun run, const QString& label, double lift) {
            if (!width || !rows.count(*width))
                return;
            const double y = plotted(bg::worstFigures(*rows.at(*width), run).sqnrDb);
            if (!std::isfinite(y))
                return;
            auto* star = new QCPItemTracer(this);
            star->setStyle(QCPItemTracer::tsSquare);
            star->position->setCoords(*width, y);
            star->setSize(11);
            star->setPen(QPen(colour.darker(130), 2));
            star->setBrush(Qt::NoBrush);
            auto* text = new QCPItemText(this);
            text->setText(label);
            text->setColor(colour.darker(130));
            text->setFont(QFont(font().family(), 8, QFont::Bold));
            // Centred over the mark, but inside the axes at either end of the width range.
            const double along = hi > lo ? static_cast<double>(*width - lo) / (hi - lo) : 0.5;
            text->setPositionAlignment((along < 0.15 ? Qt::AlignLeft : along > 0.85 ? Qt::AlignRight : Qt::AlignHCenter)
                                       | Qt::AlignBottom);
            text->position->setCoords(*width, y + lift);
            ++marks_;
        };
        // Labels stacked by weight width, so that two weight widths recommending the same bias
        // width do not print over each other.
        const double span = std::max(ceiling - bottom, 10.0);
        const double stack = span * 0.07 * static_cast<double>(it - weights.begin()) * 2;
        mark(rec.withoutFix, bg::SweepRun::Clamp, tr("W%1 no fix: %2").arg(rec.weightBits).arg(rec.withoutFix.value_or(0)),
             span * 0.04 + stack);
        mark(rec.withFix, bg::SweepRun::Fixed, tr("W%1 fix: %2").arg(rec.weightBits).arg(rec.withFix.value_or(0)),
             span * 0.11 + stack);
    }

    xAxis->setRange(lo - 0.8, std::max(hi, lo) + 0.8);
    yAxis->setRange(std::min(bottom, 0.0) - 2, ceiling + std::max(ceiling - bottom, 10.0) * 0.15);
    yAxis2->setRange(kBarBase * 0.9, std::pow(10.0, std::ceil(std::log10(static_cast<double>(most)) + 0.3)));
    replot();
}

void SweepChart::onPlottableClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*)
{
    double bias = 0;
    int weight = 0;
    for (size_t i = 0; i < lines_.size(); ++i)
        if (plottable == lines_[i] && dataIndex >= 0 && dataIndex < lines_[i]->dataCount()) {
            bias = lines_[i]->data()->at(dataIndex)->key;
            weight = lineWeightBits_[i];
        }
    for (const auto& [bars, w] : bars_)
        if (plottable == bars && dataIndex >= 0 && dataIndex < bars->dataCount()) {
            bias = bars->data()->at(dataIndex)->key;
            weight = w;
        }
    if (weight > 0)
        emit widthClicked(weight, static_cast<int>(std::lround(bias)));
}
