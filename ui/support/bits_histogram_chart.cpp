#include "bits_histogram_chart.h"

#include "clean_log_ticker.h"
#include "legend_placement.h"

#include "analysis/bias_registers.h"

#include <algorithm>

namespace {
// Bars start below 1 so that a count of one is a visible bar on the log axis.
constexpr double kBarBase = 0.7;
// Channels needing more (up to bits() of ±inf) are drawn in this last column.
constexpr int kMaxShownBits = 64;
} // namespace

BitsHistogramChart::BitsHistogramChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 220);
    auto* group = new QCPBarsGroup(this);
    group->setSpacing(1);
    auto makeBars = [&](const QColor& color, const QString& name) {
        auto* b = new QCPBars(xAxis, yAxis);
        b->setBrush(color);
        b->setPen(Qt::NoPen);
        b->setName(name);
        b->setWidth(0.42);
        b->setBaseValue(kBarBase);
        b->setBarsGroup(group);
        return b;
    };
    naiveBars_ = makeBars(QColor(200, 30, 30, 210), tr("naive fold (clamp)"));
    fixedBars_ = makeBars(QColor(40, 140, 70, 210), tr("after the fix plan"));
    xAxis->setLabel(tr("bits the bias register needs"));
    QSharedPointer<QCPAxisTickerFixed> bits(new QCPAxisTickerFixed);
    bits->setTickStep(1);
    bits->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(bits);
    yAxis->setLabel(tr("channels"));
    CleanLogTicker::install(yAxis, true);
    limit_ = new QCPItemStraightLine(this);
    limit_->setPen(QPen(QColor(200, 30, 30), 1.2, Qt::DashLine));
    limitLabel_ = new QCPItemText(this);
    limitLabel_->setColor(QColor(200, 30, 30));
    limitLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    limitLabel_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    placeLegendBelowAxes(this);
}

void BitsHistogramChart::setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan)
{
    naive_.clear();
    fixed_.clear();
    int limitBits = 16;
    if (analysis) {
        limitBits = analysis->settings.biasBits;
        for (const auto& layer : analysis->layers)
            for (const auto& c : layer.channels) {
                ++naive_[std::min(c.bits, kMaxShownBits)];
                const auto regs = bg::biasRegisters(layer, c, plan.resolved(layer, c), analysis->settings);
                ++fixed_[std::min(regs.bits, kMaxShownBits)];
            }
    }
    auto toBars = [](const std::map<int, int64_t>& counts, QCPBars* bars) {
        QVector<double> keys, values;
        for (const auto& [bits, n] : counts) {
            keys << bits;
            values << static_cast<double>(n);
        }
        bars->setData(keys, values);
    };
    toBars(naive_, naiveBars_);
    toBars(fixed_, fixedBars_);
    int hi = limitBits + 2;
    int64_t top = 1;
    for (const auto* m : {&naive_, &fixed_})
        for (const auto& [bits, n] : *m) {
            hi = std::max(hi, bits + 1);
            top = std::max(top, n);
        }
    xAxis->setRange(0, hi);
    yAxis->setRange(kBarBase, static_cast<double>(top) * 3);
    // Between n_b and n_b + 1: a bar right of the line saturates the register.
    limit_->point1->setCoords(limitBits + 0.5, 1);
    limit_->point2->setCoords(limitBits + 0.5, 10);
    // The label beside the line, on the side with room for it (a line near the right edge would
    // clip a label to its right).
    const bool roomRight = limitBits + 0.5 < hi * 0.7;
    limitLabel_->setPositionAlignment((roomRight ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignTop);
    limitLabel_->position->setCoords(roomRight ? limitBits + 0.7 : limitBits + 0.3, 0.02);
    limitLabel_->setText(tr("%1-bit register").arg(limitBits));
    replot();
}
