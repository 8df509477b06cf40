#include "colour_scale_legend.h"

#include "node_colouring.h"

#include <QPainter>

#include <algorithm>

ColourScaleLegend::ColourScaleLegend(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ColourScaleLegend::setScale(const QString& title, const QGradientStops& stops, const QList<QPair<double, QString>>& labels)
{
    title_ = title;
    stops_ = stops;
    labels_ = labels;
    update();
}

QSize ColourScaleLegend::sizeHint() const
{
    return {420, fontMetrics().height() * 2 + 20};
}

void ColourScaleLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int fh = fontMetrics().height();
    int x = 4;
    p.drawText(QRect(x, 0, width(), fh), Qt::AlignLeft | Qt::AlignVCenter, title_);
    const int barTop = fh + 2, barHeight = 12;
    // The swatch for vertices without the figure.
    p.setPen(QColor(90, 90, 90));
    p.setBrush(NodeColouring::noFigureColour());
    p.drawRect(x, barTop, 14, barHeight);
    p.drawText(QRect(x + 18, barTop - 2, 120, barHeight + 4), Qt::AlignLeft | Qt::AlignVCenter, tr("no figure"));
    x += 100;
    if (stops_.isEmpty())
        return;
    const int barWidth = std::max(80, width() - x - 40);
    QLinearGradient g(x, 0, x + barWidth, 0);
    g.setStops(stops_);
    p.setBrush(g);
    p.drawRect(x, barTop, barWidth, barHeight);
    for (const auto& [pos, text] : labels_) {
        const int lx = x + static_cast<int>(pos * barWidth);
        p.drawLine(lx, barTop + barHeight, lx, barTop + barHeight + 3);
        const int tw = fontMetrics().horizontalAdvance(text);
        p.drawText(QRect(std::clamp(lx - tw / 2, 0, width() - tw), barTop + barHeight + 2, tw + 2, fh), Qt::AlignLeft, text);
    }
}
