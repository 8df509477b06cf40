#include "report_canvas.h"

#include <QPagedPaintDevice>
#include <QTextOption>

#include <algorithm>

namespace {

// Ligatures: with them a PDF's "fi" is one glyph that text extraction and search read as "ﬁ".
QFont withoutLigatures(QFont font)
{
    font.setStyleStrategy(QFont::StyleStrategy(font.styleStrategy() | QFont::PreferNoShaping));
    return font;
}

void chartWithoutLigatures(QCustomPlot& plot)
{
    for (QCPAxisRect* rect : plot.axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setLabelFont(withoutLigatures(axis->labelFont()));
            axis->setTickLabelFont(withoutLigatures(axis->tickLabelFont()));
        }
    if (plot.legend) {
        plot.legend->setFont(withoutLigatures(plot.legend->font()));
        // A wrapped legend's grid has empty cells (item() is null there).
        for (int i = 0; i < plot.legend->itemCount(); ++i)
            if (QCPAbstractLegendItem* item = plot.legend->item(i))
                item->setFont(withoutLigatures(item->font()));
    }
    for (int i = 0; i < plot.itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot.item(i)))
            text->setFont(withoutLigatures(text->font()));
    for (QCPLayoutElement* element : plot.plotLayout()->elements(true))
        if (auto* text = qobject_cast<QCPTextElement*>(element))
            text->setFont(withoutLigatures(text->font()));
}

} // namespace

ReportCanvas::ReportCanvas(QPagedPaintDevice* device, const QString& headerLeft, const QString& headerRight, int totalPages)
    : device_(device), painter_(device), totalPages_(totalPages), headerLeft_(headerLeft), headerRight_(headerRight)
{
    page_ = QRectF(0, 0, device->width(), device->height());
    body_ = QFont(QStringLiteral("DejaVu Sans"), 9);
    bold_ = body_;
    bold_.setBold(true);
    small_ = QFont(QStringLiteral("DejaVu Sans"), 7);
    mono_ = QFont(QStringLiteral("DejaVu Sans Mono"), 8);
    mono_.setStyleHint(QFont::Monospace);
    headingFont_ = QFont(QStringLiteral("DejaVu Sans"), 12, QFont::Bold);
    subheadingFont_ = QFont(QStringLiteral("DejaVu Sans"), 10, QFont::Bold);
    titleFont_ = QFont(QStringLiteral("DejaVu Sans"), 16, QFont::Bold);
    for (QFont* f : {&body_, &bold_, &small_, &mono_, &headingFont_, &subheadingFont_, &titleFont_})
        *f = withoutLigatures(*f);
    // Charts are vector art: no pixmap caching, pens scale with the painter.
    painter_.setMode(QCPPainter::pmVectorized);
    painter_.setMode(QCPPainter::pmNoCaching);
    painter_.setMode(QCPPainter::pmNonCosmetic);
    if (!painter_.isActive())
        return;
    top_ = lineHeight(small_) * 2.2;
    bottom_ = page_.height() - lineHeight(small_) * 2.2;
    decoratePage();
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

void ReportCanvas::decoratePage()
{
    // Running header (model, settings) over a rule; the page number under a rule at the foot.
    painter_.save();
    painter_.setFont(small_);
    painter_.setPen(QColor(0x55, 0x55, 0x55));
    const double h = lineHeight(small_);
    painter_.drawText(QRectF(0, 0, page_.width(), h), Qt::AlignLeft | Qt::AlignVCenter, headerLeft_);
    painter_.drawText(QRectF(0, 0, page_.width(), h), Qt::AlignRight | Qt::AlignVCenter, headerRight_);
    painter_.setPen(QPen(QColor(0xaa, 0xaa, 0xaa), 0.8));
    painter_.drawLine(QPointF(0, h * 1.3), QPointF(page_.width(), h * 1.3));
    const double foot = page_.height() - h;
    painter_.drawLine(QPointF(0, foot - h * 0.5), QPointF(page_.width(), foot - h * 0.5));
    painter_.setPen(QColor(0x55, 0x55, 0x55));
    const QString number = totalPages_ > 0 ? QObject::tr("page %1 of %2").arg(pages_).arg(totalPages_)
                                           : QObject::tr("page %1").arg(pages_);
    painter_.drawText(QRectF(0, foot, page_.width(), h), Qt::AlignRight | Qt::AlignVCenter, number);
    painter_.drawText(QRectF(0, foot, page_.width(), h), Qt::AlignLeft | Qt::AlignVCenter, headerLeft_);
    painter_.restore();
    y_ = top_;
}

void ReportCanvas::ensure(double height)
{
    if (y_ > top_ && y_ + height > bottom_)
        pageBreak();
}

void ReportCanvas::pageBreak()
{
    device_->newPage();
    ++pages_;
    decoratePage();
}

double ReportCanvas::drawText(const QString& text, const QFont& font, int flags)
{
    painter_.setFont(font);
    painter_.setPen(Qt::black);
    const QRectF bounds = painter_.boundingRect(QRectF(0, 0, page_.width(), 1e9), flags, text);
    ensure(bounds.height());
    painter_.drawText(QRectF(0, y_, page_.width(), bounds.height()), flags, text);
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

void ReportCanvas::subheading(const QString& text)
{
    ensure(lineHeight(subheadingFont_) * 1.3 + lineHeight(small_) * 5);
    y_ += lineHeight(body_) * 0.4;
    drawText(text, subheadingFont_);
    y_ += lineHeight(body_) * 0.2;
}

void ReportCanvas::paragraph(const QString& text)
{
    drawText(text, body_);
    y_ += lineHeight(body_) * 0.4;
}

void ReportCanvas::verdict(const QString& text, const QColor& tint)
{
    const double pad = lineHeight(body_) * 0.5;
    painter_.setFont(bold_);
    const QRectF bounds = painter_.boundingRect(QRectF(0, 0, page_.width() - 2 * pad, 1e9), Qt::TextWordWrap, text);
    ensure(bounds.height() + 2 * pad);
    const QRectF band(0, y_, page_.width(), bounds.height() + 2 * pad);
    painter_.fillRect(band, tint);
    painter_.fillRect(QRectF(0, y_, pad * 0.5, band.height()), tint.darker(160));
    painter_.setPen(Qt::black);
    painter_.drawText(band.adjusted(pad, pad, -pad, -pad), Qt::TextWordWrap, text);
    y_ += band.height() + lineHeight(body_) * 0.5;
}

void ReportCanvas::keyValues(const QList<QPair<QString, QString>>& rows)
{
    const double keyWidth = page_.width() * 0.2;
    const double gap = lineHeight(body_) * 0.5;
    // Values break between words (the settings line), and inside a word only when it alone is
    // wider than the column (a long path).
    QTextOption wrap(Qt::AlignLeft | Qt::AlignTop);
    wrap.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    for (const auto& [key, value] : rows) {
        painter_.setFont(body_);
        const QRectF valueBounds = painter_.boundingRect(QRectF(0, 0, page_.width() - keyWidth - gap, 1e9), value, wrap);
        ensure(valueBounds.height());
        painter_.setPen(Qt::black);
        painter_.setFont(bold_);
        painter_.drawText(QRectF(0, y_, keyWidth, valueBounds.height()), Qt::AlignLeft | Qt::AlignTop, key);
        painter_.setFont(body_);
        painter_.drawText(QRectF(keyWidth + gap, y_, page_.width() - keyWidth - gap, valueBounds.height()), value,
                          wrap);
        y_ += valueBounds.height() + lineHeight(body_) * 0.1;
    }
    y_ += lineHeight(body_) * 0.4;
}

void ReportCanvas::code(const QString& text)
{
    const double pad = lineHeight(mono_) * 0.4;
    painter_.setFont(mono_);
    // Line by line, so that a long block breaks across pages between its lines.
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        const QRectF bounds = painter_.boundingRect(QRectF(0, 0, page_.width() - 2 * pad, 1e9), Qt::TextWrapAnywhere,
                                                    line.isEmpty() ? QStringLiteral(" ") : line);
        ensure(bounds.height());
        painter_.fillRect(QRectF(0, y_, page_.width(), bounds.height()), QColor(0xf2, 0xf2, 0xf2));
        painter_.setFont(mono_);
        painter_.setPen(Qt::black);
        painter_.drawText(QRectF(pad, y_, page_.width() - 2 * pad, bounds.height()), Qt::TextWrapAnywhere, line);
        y_ += bounds.height();
    }
    y_ += lineHeight(body_) * 0.5;
}

void ReportCanvas::table(const QStringList& headers, const QList<QStringList>& rows, const QList<double>& widths,
                         int leftColumns)
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
        if (fill.isValid())
            painter_.fillRect(QRectF(0, y_, page_.width(), row), fill);
        painter_.setFont(font);
        painter_.setPen(Qt::black);
        for (int c = 0; c < headers.size(); ++c) {
            const QRectF cell(x[c] + pad, y_, x[c + 1] - x[c] - 2 * pad, row);
            const QString text = c < cells.size() ? cells[c] : QString();
            painter_.drawText(cell, Qt::AlignVCenter | (c < leftColumns ? Qt::AlignLeft : Qt::AlignRight),
                              painter_.fontMetrics().elidedText(text, Qt::ElideRight, static_cast<int>(cell.width())));
        }
        y_ += row;
    };
    QFont headerFont = small_;
    headerFont.setBold(true);
    const QColor headerFill(0xdd, 0xe4, 0xee), stripe(0xf4, 0xf6, 0xf9);
    ensure(row * std::min<qsizetype>(3, rows.size() + 1));  // no header alone at the foot of a page
    drawRow(headers, headerFont, headerFill);
    for (int r = 0; r < rows.size(); ++r) {
        if (y_ + row > bottom_) {
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
    chartWithoutLigatures(plot);
    painter_.save();
    painter_.translate(0, y_);
    plot.toPainter(&painter_, width, height);
    painter_.restore();
    y_ += height + lineHeight(body_) * 0.5;
}

double ReportCanvas::chartHeight(double aspect)
{
    return static_cast<int>(page_.width() * aspect) + lineHeight(body_) * 0.5;
}
