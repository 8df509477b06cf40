#include "layer_channels_chart.h"

#include "clean_log_ticker.h"
#include "legend_placement.h"

#include <algorithm>
#include <cmath>

LayerChannelsChart::LayerChannelsChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 220);
    inRange_ = new QCPBars(xAxis, yAxis);
    inRange_->setBrush(QColor(40, 100, 180, 170));
    inRange_->setPen(Qt::NoPen);
    inRange_->setName(tr("bits, in range"));
    outOfRange_ = new QCPBars(xAxis, yAxis);
    outOfRange_->setBrush(QColor(200, 30, 30));
    outOfRange_->setPen(Qt::NoPen);
    outOfRange_->setName(tr("bits, out of range"));
    yAxis2->setVisible(true);
    CleanLogTicker::install(yAxis2);
    yAxis2->setLabel(tr("|γ|"));
    gamma_ = addGraph(xAxis, yAxis2);
    gamma_->setLineStyle(QCPGraph::lsNone);
    gamma_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QColor(20, 140, 60), QColor(20, 140, 60), 6));
    gamma_->setName(tr("|γ|"));
    limit_ = new QCPItemStraightLine(this);
    limit_->setPen(QPen(QColor(200, 30, 30), 1.2, Qt::DashLine));
    xAxis->setLabel(tr("output channel"));
    QSharedPointer<QCPAxisTickerFixed> channels(new QCPAxisTickerFixed);
    channels->setTickStep(1);  // integer channels
    channels->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(channels);
    yAxis->setLabel(tr("bits needed"));
    placeLegendBelowAxes(this);
}

void LayerChannelsChart::setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex)
{
    QVector<double> xi, yi, xo, yo, xg, yg;
    int limitBits = 16, ymax = 0;
    double gmin = 1e300, gmax = 0;
    QString title;
    if (analysis && layerIndex >= 0 && layerIndex < static_cast<int>(analysis->layers.size())) {
        const auto& layer = analysis->layers[static_cast<size_t>(layerIndex)];
        limitBits = analysis->settings.biasBits;
        title = QString::fromStdString(layer.name);
        for (const auto& c : layer.channels) {
            const double x = static_cast<double>(c.channel);
            (c.outOfRange ? xo : xi).push_back(x);
            (c.outOfRange ? yo : yi).push_back(c.bits);
            const double g = std::max(std::fabs(c.gamma), 1e-12);
            xg.push_back(x);
            yg.push_back(g);
            gmin = std::min(gmin, g);
            gmax = std::max(gmax, g);
            ymax = std::max(ymax, c.bits);
        }
    }
    inRange_->setData(xi, yi);
    outOfRange_->setData(xo, yo);
    gamma_->setData(xg, yg);
    const double n = static_cast<double>(xg.size());
    xAxis->setRange(-1, std::max(n, 1.0));
    yAxis->setRange(0, std::min(std::max(ymax, limitBits) + 4, 72));
    // At least two decades, so the log axis has powers of ten to label.
    const double pad = gmax > 0 ? std::max(3.0, std::sqrt(100.0 / std::max(gmax / gmin, 1.0))) : 1.0;
    yAxis2->setRange(gmax > 0 ? gmin / pad : 1e-3, gmax > 0 ? gmax * pad : 10);
    // Between n_b and n_b + 1: a bar above the line needs more bits than the register has.
    limit_->point1->setCoords(0, limitBits + 0.5);
    limit_->point2->setCoords(1, limitBits + 0.5);
    xAxis2->setLabel(title);
    xAxis2->setVisible(!title.isEmpty());
    xAxis2->setTicks(false);
    xAxis2->setTickLabels(false);
    replot();
}
