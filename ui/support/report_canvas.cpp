#include "report_canvas.h"

#include <QPagedPaintDevice>

#include <algorithm>

ReportCanvas::ReportCanvas(QPagedPaintDevice* device) : device_(device), painter_(device)
{
    page_ = QRectF(0, 0, device->width(), device->height());
    body_ = QFont(QStringLiteral("DejaVu Sans"), 9);
    bold_ = body_;
    bold_.setBold(true);
    small_ = QFont(QStringLiteral("DejaVu Sans"), 7);
    headingFont_ = QFont(QStringLiteral("DejaVu Sans"), 12, QFont::Bold);
    titleFont_ = QFont(QStringLiteral("DejaVu Sans"), 16, QFont::Bold);
    // Charts are vector art: no pixmap caching, pens scale with the painter.
    painter_.setMode(QCPPainter::pmVectorized);
    painter_.setMode(QCPPainter::pmNoCaching);
    painter_.setMode(QCPPainter::pmNonCosmetic);
}

ReportCanvas::~ReportCanvas()
{
    if (painter_.isActive())
        painter_.end();
}

double ReportCanvas::lineHeight(const QFont& font)
{
    painter_.setFont(font);
    return painter_.fontMetrics().lineSpacing();
}

void ReportCanvas::ensure(double height)
{
    if (y_ > 0 && y_ + height > page_.height())
        pageBreak();
}

void ReportCanvas::pageBreak()
{
    device_->newPage();
    ++pages_;
    y_ = 0;
}

double ReportCanvas::drawText(const QString& text, const QFont& font)
{
    painter_.setFont(font);
    painter_.setPen(Qt::black);
    const QRectF bounds = painter_.boundingRect(QRectF(0, 0, page_.width(), 1e9), Qt::TextWordWrap, text);
    ensure(bounds.height());
    painter_.drawText(QRectF(0, y_, page_.width(), bounds.height()), Qt::TextWordWrap, text);
    y_ += bounds.height();
    return bounds.height();
}

void ReportCanvas::title(const QString& text)
{
    drawText(text, titleFont_);
    y_ += lineHeight(body_) * 0.5;
}

void ReportCanvas::heading(const QString& text)
{
    // Keep a heading with at least a few lines of what follows it.
    ensure(lineHeight(headingFont_) * 1.5 + lineHeight(body_) * 4);
    y_ += lineHeight(body_) * 0.6;
    drawText(text, headingFont_);
    y_ += lineHeight(body_) * 0.3;
}

void ReportCanvas::paragraph(const QString& text)
{
    drawText(text, body_);
    y_ += lineHeight(body_) * 0.4;
}

void ReportCanvas::table(const QStringList& headers, const QList<QStringList>& rows, const QList<double>& widths)
{
    double total = 0;
    for (double w : widths)
        total += w;
    QList<double> x;
    double at = 0;
    for (double w : widths) {
        x << at;
        at += w / total * page_.width();
    }
    x << page_.width();
    const double row = lineHeight(small_) * 1.25;
    const double pad = row * 0.15;
    auto drawRow = [&](const QStringList& cells, const QFont& font, const QColor& fill) {
        ensure(row);
        if (fill.isValid())
            painter_.fillRect(QRectF(0, y_, page_.width(), row), fill);
        painter_.setFont(font);
        painter_.setPen(Qt::black);
        for (int c = 0; c < headers.size(); ++c) {
            const QRectF cell(x[c] + pad, y_, x[c + 1] - x[c] - 2 * pad, row);
            const QString text = c < cells.size() ? cells[c] : QString();
            painter_.drawText(cell, Qt::AlignVCenter | (c == 0 ? Qt::AlignLeft : Qt::AlignRight),
                              painter_.fontMetrics().elidedText(text, Qt::ElideRight, static_cast<int>(cell.width())));
        }
        y_ += row;
    };
    QFont headerFont = small_;
    headerFont.setBold(true);
    const QColor headerFill(0xdd, 0xe4, 0xee), stripe(0xf4, 0xf6, 0xf9);
    drawRow(headers, headerFont, headerFill);
    for (int r = 0; r < rows.size(); ++r) {
        if (y_ + row > page_.height()) {
            pageBreak();
            drawRow(headers, headerFont, headerFill);  // the header again on the new page
        }
        drawRow(rows[r], small_, r % 2 ? stripe : QColor());
    }
    y_ += lineHeight(body_) * 0.5;
}

void ReportCanvas::chart(QCustomPlot& plot, double aspect)
{
    // The page has a screen-like resolution (pdf_report.cpp), so the chart is laid out at the page
    // width as it would be in a window of that size: fonts in points, marker sizes in pixels.
    const int width = static_cast<int>(page_.width());
    const int height = static_cast<int>(page_.width() * aspect);
    ensure(height);
    painter_.save();
    painter_.translate(0, y_);
    plot.toPainter(&painter_, width, height);
    painter_.restore();
    y_ += height + lineHeight(body_) * 0.5;
}
