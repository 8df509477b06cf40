#include "bias_bits_chart.h"

#include "clean_log_ticker.h"
#include "legend_placement.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace {
// γ = 0 has no place on a log axis: it is drawn at this |γ|.
constexpr double kSmallestGamma = 1e-12;
constexpr double kHitRadiusPx = 6.0;
} // namespace

BiasBitsChart::BiasBitsChart(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 240);
    CleanLogTicker::install(xAxis);
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
    limitLabel_->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    limitLabel_->position->setTypeY(QCPItemPosition::ptPlotCoords);
    limitLabel_->setClipToAxisRect(true);

    placeLegendBelowAxes(this);

    // Left drag: zoom into the rectangle; wheel: zoom about the mouse; double click: everything.
    setInteraction(QCP::iRangeZoom, true);
    setSelectionRectMode(QCP::srmZoom);
    selectionRect()->setPen(QPen(QColor(40, 100, 180), 1, Qt::DashLine));
    selectionRect()->setBrush(QColor(40, 100, 180, 30));
    setMouseTracking(true);
    connect(this, &QCustomPlot::mouseMove, this, &BiasBitsChart::onMouseMove);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { pressPos_ = e->pos(); });
    connect(this, &QCustomPlot::mouseRelease, this, &BiasBitsChart::onMouseRelease);
    connect(this, &QCustomPlot::mouseDoubleClick, this, [this] { resetZoom(); });
}

double BiasBitsChart::plotGamma(const bg::ChannelAnalysis& c) const
{
    return std::max(std::fabs(c.gamma), kSmallestGamma);
}

void BiasBitsChart::setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex)
{
    const bool sameAnalysis = analysis == analysis_ && analysis_;
    analysis_ = std::move(analysis);
    points_.clear();
    QVector<double> xin, yin, xout, yout, xsel, ysel;
    double xmin = 1e300, xmax = 0;
    int ymax = 0;
    const int limitBits = analysis_ ? analysis_->settings.biasBits : 16;
    if (analysis_) {
        for (size_t li = 0; li < analysis_->layers.size(); ++li) {
            const auto& channels = analysis_->layers[li].channels;
            for (size_t r = 0; r < channels.size(); ++r) {
                const auto& c = channels[r];
                const double g = plotGamma(c);
                const double bits = c.bits;
                points_.push_back({static_cast<int>(li), static_cast<int>(r)});
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
    // The channels' figures sort the points by |γ| inside each graph; the hit test keeps its own list.
    inRange_->setData(xin, yin);
    outOfRange_->setData(xout, yout);
    highlight_->setData(xsel, ysel);
    highlight_->setVisible(!xsel.isEmpty());
    highlight_->removeFromLegend();
    if (!xsel.isEmpty())
        highlight_->addToLegend();
    if (xmax <= 0) {
        xmin = 1e-3;
        xmax = 10;
    }
    // At least two decades, so the log axis always has powers of ten to label.
    const double pad = std::max(3.0, std::sqrt(100.0 / std::max(xmax / xmin, 1.0)));
    fullX_ = QCPRange(xmin / pad, xmax * pad);
    fullY_ = QCPRange(0, std::min(std::max(ymax, limitBits) + 4, 72));
    // Selecting another layer of the same analysis keeps the user's zoom.
    if (!sameAnalysis)
        resetZoom();
    // Between n_b and n_b + 1: a point above the line needs more bits than the register has.
    limit_->point1->setCoords(fullX_.lower, limitBits + 0.5);
    limit_->point2->setCoords(fullX_.upper, limitBits + 0.5);
    limitLabel_->setText(tr("%1-bit bias register").arg(limitBits));
    limitLabel_->position->setCoords(0.01, limitBits + 0.7);
    replot();
}

void BiasBitsChart::resetZoom()
{
    xAxis->setRange(fullX_);
    yAxis->setRange(fullY_);
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

QPointF BiasBitsChart::pixelOf(const PointRef& p) const
{
    const auto& c = analysis_->layers[static_cast<size_t>(p.layer)].channels[static_cast<size_t>(p.row)];
    return {xAxis->coordToPixel(plotGamma(c)), yAxis->coordToPixel(c.bits)};
}

std::optional<BiasBitsChart::PointRef> BiasBitsChart::pointAt(const QPointF& pixel) const
{
    if (!analysis_ || !axisRect()->rect().contains(pixel.toPoint()))
        return std::nullopt;
    std::optional<PointRef> best;
    double bestDist = kHitRadiusPx * kHitRadiusPx;
    for (const PointRef& p : points_) {
        const QPointF d = pixelOf(p) - pixel;
        const double dist = d.x() * d.x() + d.y() * d.y();
        // Ties (several channels on one pixel): the out-of-range one, that is what the user looks for.
        const auto& c = analysis_->layers[static_cast<size_t>(p.layer)].channels[static_cast<size_t>(p.row)];
        if (dist < bestDist || (best && dist == bestDist && c.outOfRange)) {
            bestDist = dist;
            best = p;
        }
    }
    return best;
}

QString BiasBitsChart::describe(const PointRef& p) const
{
    const auto& layer = analysis_->layers[static_cast<size_t>(p.layer)];
    const auto& c = layer.channels[static_cast<size_t>(p.row)];
    const int nb = analysis_->settings.biasBits;
    auto num = [](double v) { return QString::number(v, 'g', 5); };
    return tr("<b>%1</b> channel %2<br>γ = %3 &nbsp; σ = %4<br>a = %5 &nbsp; b′ = %6<br>B<sub>c</sub> = %7<br>"
              "bits needed: <b>%8</b> of %9%10<br>fix plan: %11")
        .arg(QString::fromStdString(layer.name).toHtmlEscaped())
        .arg(c.channel)
        .arg(num(c.gamma), num(c.sigma), num(c.foldFactor), num(c.biasFloat), num(c.biasExact))
        .arg(c.bits)
        .arg(nb)
        .arg(c.outOfRange ? tr(" — <span style='color:#c02020'>out of range</span>") : QString())
        .arg(QString::fromLatin1(bg::strategyName(plan_.resolved(layer, c))));
}

void BiasBitsChart::onMouseMove(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton)
        return;  // dragging a zoom rectangle
    const auto p = pointAt(event->position());
    hoverText_ = p ? describe(*p) : QString();
    if (p)
        QToolTip::showText(event->globalPosition().toPoint(), hoverText_, this);
    else
        QToolTip::hideText();
}

void BiasBitsChart::onMouseRelease(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || (event->pos() - pressPos_).manhattanLength() > 3)
        return;  // a zoom drag, not a click
    if (const auto p = pointAt(event->position()))
        emit channelClicked(p->layer, p->row);
}
