#include "bias_bits_chart.h"

#include <algorithm>
#include <cmath>

BiasBitsChart::BiasBitsChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 240);
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    xAxis->setNumberFormat("eb");
    xAxis->setNumberPrecision(0);
    xAxis->setLabel(tr("|γ| (BatchNorm scale)"));
    yAxis->setLabel(tr("bits needed by the merged bias"));

    auto makeScatter = [this](const QColor& color, double size, const QString& name) {
        QCPGraph* g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, size));
        g->setName(name);
        return g;
    };
    inRange_ = makeScatter(QColor(40, 100, 180, 140), 5, tr("in range"));
    outOfRange_ = makeScatter(QColor(200, 30, 30), 6, tr("out of range"));
    highlight_ = addGraph();
    highlight_->setLineStyle(QCPGraph::lsNone);
    highlight_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(240, 160, 0), 1.5), Qt::NoBrush, 9));
    highlight_->setName(tr("selected layer"));

    limit_ = new QCPItemStraightLine(this);
    limit_->setPen(QPen(QColor(200, 30, 30), 1.2, Qt::DashLine));
    limitLabel_ = new QCPItemText(this);
    limitLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        limitLabel_->setColor(QColor(200, 30, 30));

    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void BiasBitsChart::setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex)
{
    QVector<double> xin, yin, xout, yout, xsel, ysel;
    double xmin = 1e300, xmax = 0;
    int ymax = 0;
    const int limitBits = analysis ? analysis->settings.biasBits : 16;
    if (analysis) {
        for (size_t li = 0; li < analysis->layers.size(); ++li) {
            for (const auto& c : analysis->layers[li].channels) {
                // γ = 0 has no place on a log axis: draw it at the smallest positive |γ| shown.
                const double g = std::max(std::fabs(c.gamma), 1e-12);
                const double bits = c.bits;
                xmin = std::min(xmin, g);
                xmax = std::max(xmax, g);
                ymax = std::max(ymax, c.bits);
                (c.outOfRange ? xout : xin).push_back(g);
                (c.outOfRange ? yout : yin).push_back(bits);
                if (static_cast<int>(li) == layerIndex) {
                    xsel.push_back(g);
                    ysel.push_back(bits);
                }
            }
        }
    }
    inRange_->setData(xin, yin);
    outOfRange_->setData(xout, yout);
    highlight_->setData(xsel, ysel);
    highlight_->setVisible(!xsel.isEmpty());
    if (xmax <= 0) {
        xmin = 1e-3;
        xmax = 10;
    }
    xAxis->setRange(xmin / 3, xmax * 3);
    yAxis->setRange(0, std::min(std::max(ymax, limitBits) + 4, 72));
    limit_->point1->setCoords(xmin / 3, limitBits + 0.5);
    limit_->point2->setCoords(xmax * 3, limitBits + 0.5);
    limitLabel_->setText(tr("%1-bit bias register").arg(limitBits));
    limitLabel_->position->setType(QCPItemPosition::ptPlotCoords);
    limitLabel_->position->setCoords(xmin / 2.5, limitBits + 0.7);
    replot();
}

int BiasBitsChart::inRangePointCount() const
{
    return inRange_->dataCount();
}

int BiasBitsChart::outOfRangePointCount() const
{
    return outOfRange_->dataCount();
}
