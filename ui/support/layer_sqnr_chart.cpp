#include "layer_sqnr_chart.h"

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
    yAxis->setLabel(tr("SQNR vs float (dB)"));
    xAxis->setTickLabelRotation(60);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
}

void LayerSqnrChart::setComparison(std::shared_ptr<const bg::ModelComparison> comparison)
{
    QVector<double> keys, clamp, fixed;
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
            top = std::max({top, clamp.back(), fixed.back()});
            bottom = std::min({bottom, clamp.back() - 5, fixed.back() - 5});
            ticker->addTick(static_cast<double>(i), QString::fromStdString(l.name));
        }
    }
    clamp_->setData(keys, clamp);
    fixed_->setData(keys, fixed);
    xAxis->setTicker(ticker);
    xAxis->setRange(-0.7, std::max<double>(static_cast<double>(keys.size()) - 0.3, 1.0));
    yAxis->setRange(bottom, top + 5);
    replot();
}
