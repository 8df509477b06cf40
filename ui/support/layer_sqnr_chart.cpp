#include "layer_sqnr_chart.h"

#include "legend_placement.h"

#include <algorithm>
#include <cmath>

LayerSqnrChart::LayerSqnrChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 220);
    group_ = new QCPBarsGroup(this);
    clamp_ = new QCPBars(xAxis, yAxis);
    clamp_->setName(tr("clamp (naive fold)"));
    clamp_->setBrush(QColor(200, 30, 30, 200));
    clamp_->setPen(Qt::NoPen);
    fixed_ = new QCPBars(xAxis, yAxis);
    fixed_->setName(tr("fixed (plan)"));
    fixed_->setBrush(QColor(40, 140, 70, 200));
    fixed_->setPen(Qt::NoPen);
    for (QCPBars* b : {clamp_, fixed_}) {
        b->setWidth(0.38);
        b->setBarsGroup(group_);
    }
    // The layer alone (fed the float model's input): markers over the propagated bars.
    auto makeMarks = [this](QCPScatterStyle::ScatterShape shape, const QColor& color, const QString& name) {
        QCPGraph* g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(shape, QPen(color.darker(140), 1.5), color, 7));
        g->setName(name);
        return g;
    };
    isolatedClamp_ = makeMarks(QCPScatterStyle::ssTriangleInverted, QColor(240, 120, 120), tr("clamp, layer alone"));
    isolatedFixed_ = makeMarks(QCPScatterStyle::ssTriangle, QColor(120, 210, 140), tr("fixed, layer alone"));
    clamp_->setName(tr("clamp (naive fold), propagated"));
    fixed_->setName(tr("fixed (plan), propagated"));
    yAxis->setLabel(tr("SQNR vs float (dB)"));
    xAxis->setTickLabelRotation(60);
    placeLegendBelowAxes(this, 2);
}

void LayerSqnrChart::setComparison(std::shared_ptr<const bg::ModelComparison> comparison)
{
    QVector<double> keys, clamp, fixed, aloneClamp, aloneFixed, keysClamp, keysFixed;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double top = 10, bottom = 0;
    if (comparison) {
        for (size_t i = 0; i < comparison->layers.size(); ++i) {
            const auto& l = comparison->layers[i];
            // An exact match (+inf dB) is drawn at the top of the axis.
            auto finite = [](double v) { return std::isfinite(v) ? v : 120.0; };
            keys.push_back(static_cast<double>(i));
            clamp.push_back(finite(l.quantized.sqnrDb));
            fixed.push_back(finite(l.fixed.sqnrDb));
            aloneClamp.push_back(finite(l.isolatedQuantized.sqnrDb));
            aloneFixed.push_back(finite(l.isolatedFixed.sqnrDb));
            // Over the bar of the same run: left the clamp one, right the fixed one.
            keysClamp.push_back(static_cast<double>(i) - 0.19);
            keysFixed.push_back(static_cast<double>(i) + 0.19);
            top = std::max({top, clamp.back(), fixed.back(), aloneClamp.back(), aloneFixed.back()});
            bottom = std::min({bottom, clamp.back() - 5, fixed.back() - 5, aloneClamp.back() - 5, aloneFixed.back() - 5});
            ticker->addTick(static_cast<double>(i), QString::fromStdString(l.name));
        }
    }
    clamp_->setData(keys, clamp);
    fixed_->setData(keys, fixed);
    isolatedClamp_->setData(keysClamp, aloneClamp);
    isolatedFixed_->setData(keysFixed, aloneFixed);
    xAxis->setTicker(ticker);
    xAxis->setRange(-0.7, std::max<double>(static_cast<double>(keys.size()) - 0.3, 1.0));
    yAxis->setRange(bottom, top + 5);
    replot();
}
