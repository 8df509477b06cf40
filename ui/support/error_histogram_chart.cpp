#include "error_histogram_chart.h"

#include "clean_log_ticker.h"
#include "legend_placement.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double kBarBase = 0.7;  // a count of one stays visible on the log count axis
const double kOctave = std::log10(2.0);

// 10ⁿ with superscript digits (a text ticker's labels are drawn as they are).
QString decadeLabel(int n)
{
    if (n == 0)
        return QStringLiteral("1");
    if (n == 1)
        return QStringLiteral("10");
    static const QString digits = QString::fromUtf8("⁰¹²³⁴⁵⁶⁷⁸⁹");
    QString power;
    for (QChar c : QString::number(std::abs(n)))
        power += digits[c.digitValue()];
    return QStringLiteral("10") + (n < 0 ? QString::fromUtf8("⁻") : QString()) + power;
}
} // namespace

ErrorHistogramChart::ErrorHistogramChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 220);
    auto* group = new QCPBarsGroup(this);
    group->setSpacing(0);
    auto makeBars = [&](const QColor& color, const QString& name) {
        auto* b = new QCPBars(xAxis, yAxis);
        b->setBrush(color);
        b->setPen(Qt::NoPen);
        b->setName(name);
        b->setWidth(kOctave * 0.45);
        b->setBaseValue(kBarBase);
        b->setBarsGroup(group);
        return b;
    };
    clamp_ = makeBars(QColor(200, 30, 30, 200), tr("clamp (naive fold)"));
    fixed_ = makeBars(QColor(40, 140, 70, 200), tr("fixed (plan)"));
    xAxis->setLabel(tr("|float − integer| per element"));
    yAxis->setLabel(tr("elements"));
    CleanLogTicker::install(yAxis, true);
    step_ = new QCPItemStraightLine(this);
    step_->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
    stepLabel_ = new QCPItemText(this);
    stepLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    stepLabel_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    stepLabel_->setText(tr("1 output step"));
    exactLabel_ = new QCPItemText(this);
    exactLabel_->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    exactLabel_->position->setType(QCPItemPosition::ptAxisRectRatio);
    exactLabel_->position->setCoords(0.99, 0.02);
    placeLegendBelowAxes(this);
    clear();
}

void ErrorHistogramChart::clear()
{
    setHistograms({}, {}, {}, std::nullopt);
}

void ErrorHistogramChart::setHistograms(const QString& title, const bg::ErrorHistogram& clamp,
                                        const bg::ErrorHistogram& fixed, std::optional<double> outputStep)
{
    int lo = bg::ErrorHistogram::kBins, hi = -1;
    double top = 1;
    // Keys in decades: the bar of octave [2^e, 2^(e+1)) sits at its centre, log10 of 2^(e+½).
    auto toBars = [&](const bg::ErrorHistogram& h, QCPBars* bars) {
        QVector<double> keys, values;
        int64_t drawn = 0;
        for (int i = 0; i < bg::ErrorHistogram::kBins; ++i) {
            const int64_t n = h.bin(i);
            if (n == 0)
                continue;
            keys << std::log10(bg::ErrorHistogram::lowerEdge(i)) + kOctave / 2;
            values << static_cast<double>(n);
            drawn += n;
            lo = std::min(lo, i);
            hi = std::max(hi, i);
            top = std::max(top, static_cast<double>(n));
        }
        bars->setData(keys, values);
        return drawn;
    };
    clampDrawn_ = toBars(clamp, clamp_);
    fixedDrawn_ = toBars(fixed, fixed_);
    double xmin = -6, xmax = 1;
    if (hi >= 0) {
        xmin = std::floor(std::log10(bg::ErrorHistogram::lowerEdge(lo)));
        xmax = std::ceil(std::log10(bg::ErrorHistogram::upperEdge(hi)));
    }
    step_->setVisible(outputStep.has_value() && *outputStep > 0);
    stepLabel_->setVisible(step_->visible());
    if (step_->visible()) {
        const double s = std::log10(*outputStep);
        xmin = std::min(xmin, std::floor(s));
        xmax = std::max(xmax, std::ceil(s + 0.01));
        step_->point1->setCoords(s, 1);
        step_->point2->setCoords(s, 10);
        stepLabel_->position->setCoords(s, 0.02);
    }
    xAxis->setRange(xmin - 0.2, xmax + 0.2);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int stride = xmax - xmin > 12 ? 2 : 1;
    for (int d = static_cast<int>(xmin); d <= static_cast<int>(xmax); d += stride)
        ticker->addTick(d, decadeLabel(d));
    xAxis->setTicker(ticker);
    yAxis->setRange(kBarBase, top * 3);
    exactLabel_->setText(title.isEmpty() ? tr("Select an output or a layer")
                                         : tr("%1\nexact (Δ = 0): clamp %2, fixed %3").arg(title).arg(clamp.exact()).arg(fixed.exact()));
    replot();
}
