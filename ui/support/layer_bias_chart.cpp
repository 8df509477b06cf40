#include "layer_bias_chart.h"

#include "legend_placement.h"

#include "analysis/bias_registers.h"
#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double kSide = 0.21;  // naive bar left of the channel's tick, the fixed one right of it
}

double LayerBiasChart::axisValue(double q)
{
    if (!std::isfinite(q))
        return std::isnan(q) ? 0.0 : std::copysign(64.0, q);
    return std::copysign(std::log2(1.0 + std::fabs(q)), q);
}

LayerBiasChart::LayerBiasChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 220);
    auto makeBars = [this](const QColor& color, const QString& name) {
        auto* b = new QCPBars(xAxis, yAxis);
        b->setBrush(color);
        b->setPen(Qt::NoPen);
        b->setName(name);
        b->setWidth(0.4);
        return b;
    };
    inRange_ = makeBars(QColor(40, 100, 180, 190), tr("q_b in range"));
    outOfRange_ = makeBars(QColor(200, 30, 30), tr("q_b out of range"));
    fixed_ = makeBars(QColor(40, 140, 70, 200), tr("fixed: pre register"));
    post_ = addGraph();
    post_->setLineStyle(QCPGraph::lsNone);
    post_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(QColor(20, 90, 40), 1.4), QColor(150, 220, 160), 7));
    post_->setName(tr("fixed: post register"));
    band_ = new QCPItemRect(this);
    band_->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    band_->setBrush(QColor(0, 0, 0, 18));
    band_->topLeft->setTypeX(QCPItemPosition::ptAxisRectRatio);
    band_->bottomRight->setTypeX(QCPItemPosition::ptAxisRectRatio);
    band_->setLayer("background");
    xAxis->setLabel(tr("output channel"));
    QSharedPointer<QCPAxisTickerFixed> channels(new QCPAxisTickerFixed);
    channels->setTickStep(1);  // channels are integers: 1, 2, 5, 10, … never 2.5
    channels->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(channels);
    yAxis->setLabel(tr("register value (±2^k)"));
    placeLegendBelowAxes(this, 2);
    setInteraction(QCP::iRangeZoom, true);
    setInteraction(QCP::iRangeDrag, true);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setRangeDrag(Qt::Horizontal);
}

void LayerBiasChart::setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex, const bg::FixPlan& plan)
{
    QVector<double> xi, yi, xo, yo, xf, yf, xp, yp;
    int limitBits = 16;
    double top = 0;
    size_t channels = 0;
    QString title;
    if (analysis && layerIndex >= 0 && layerIndex < static_cast<int>(analysis->layers.size())) {
        const auto& layer = analysis->layers[static_cast<size_t>(layerIndex)];
        limitBits = analysis->settings.biasBits;
        title = tr("%1: merged bias against the %2-bit register").arg(QString::fromStdString(layer.name)).arg(limitBits);
        channels = layer.channels.size();
        for (const auto& c : layer.channels) {
            const double x = static_cast<double>(c.channel);
            const double v = axisValue(c.biasInt);
            (c.outOfRange ? xo : xi).push_back(x - kSide);
            (c.outOfRange ? yo : yi).push_back(v);
            const auto regs = bg::biasRegisters(layer, c, plan.resolved(layer, c), analysis->settings);
            // What the register holds: saturated, as the backend loads it.
            xf.push_back(x + kSide);
            yf.push_back(axisValue(static_cast<double>(bg::saturateSigned(regs.pre, limitBits))));
            if (regs.usesPost) {
                xp.push_back(x + kSide);
                yp.push_back(axisValue(static_cast<double>(bg::saturateSigned(regs.post, limitBits))));
            }
            top = std::max({top, std::fabs(v), std::fabs(yf.back())});
        }
    }
    inRange_->setData(xi, yi);
    outOfRange_->setData(xo, yo);
    fixed_->setData(xf, yf);
    post_->setData(xp, yp);
    const double bandEdge = axisValue(std::ldexp(1.0, limitBits - 1));
    band_->topLeft->setCoords(0, bandEdge);
    band_->bottomRight->setCoords(1, -bandEdge);
    top = std::ceil(std::max(top, bandEdge) + 1);
    yAxis->setRange(-top, top);
    // Ticks at ±2^k every few powers, and the band's edges.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = top > 40 ? 16 : top > 20 ? 8 : 4;
    ticker->addTick(0, "0");
    for (int k = step; k <= static_cast<int>(top); k += step) {
        ticker->addTick(k, QString("2^%1").arg(k));
        ticker->addTick(-k, QString("−2^%1").arg(k));
    }
    yAxis->setTicker(ticker);
    xAxis->setRange(-1, std::max<double>(static_cast<double>(channels), 1.0));
    xAxis2->setLabel(title);
    xAxis2->setVisible(!title.isEmpty());
    xAxis2->setTicks(false);
    xAxis2->setTickLabels(false);
    replot();
}
