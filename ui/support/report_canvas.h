#pragma once
// A flowing, paginated page layout for the PDF report: title, headings, paragraphs, key–value
// blocks, a highlighted verdict, monospaced blocks (formulas, commands), tables (header repeated
// after a page break, cells elided to their column) and QCustomPlot charts drawn as vectors (the
// same chart classes as the screen). Every page gets a running header and "page N of M" in its
// footer. Everything is placed top to bottom; a block that does not fit the rest of the page
// starts a new one.
#include <QList>
#include <QPair>
#include <QRectF>
#include <QStringList>

#include <qcustomplot.h>

class QPagedPaintDevice;

class ReportCanvas {
public:
    // `headerLeft`/`headerRight`: the running header. `totalPages` 0: the footer says "page N" only
    // (the first of the report's two passes, which counts the pages).
    ReportCanvas(QPagedPaintDevice* device, const QString& headerLeft, const QString& headerRight, int totalPages);
    ~ReportCanvas();
    ReportCanvas(const ReportCanvas&) = delete;
    ReportCanvas& operator=(const ReportCanvas&) = delete;

    bool isActive() const { return painter_.isActive(); }
    void title(const QString& text);
    void heading(const QString& text);
    void subheading(const QString& text);
    void paragraph(const QString& text);
    // Bold text on a tinted band: the report's one-sentence answer.
    void verdict(const QString& text, const QColor& tint);
    // Name–value lines, names bold in a column of their own, values wrapped.
    void keyValues(const QList<QPair<QString, QString>>& rows);
    // Monospaced, wrapped anywhere (a command line has long words), on a light band.
    void code(const QString& text);
    // `widths` are relative column widths (one per header); rows shorter than the header are padded.
    // The first `leftColumns` columns (names) are left-aligned, the rest (figures) right-aligned.
    void table(const QStringList& headers, const QList<QStringList>& rows, const QList<double>& widths,
               int leftColumns = 1);
    // The chart at the full text width, `aspect` = height / width, as vector art. Its fonts are set
    // to draw without ligatures, as the canvas' own text (so "fi" is selected and found as "fi").
    void chart(QCustomPlot& plot, double aspect);
    // The height chart() takes at `aspect`, with the space below it.
    double chartHeight(double aspect);
    // Starts a new page unless `height` fits on this one: keeps a heading with what it introduces.
    void keepSpace(double height) { ensure(height); }
    // The height of `lines` lines of body text.
    double bodyLines(double lines) { return lineHeight(body_) * lines; }
    void pageBreak();
    int pages() const { return pages_; }

private:
    void ensure(double height);
    void decoratePage();
    double lineHeight(const QFont& font);
    double drawText(const QString& text, const QFont& font, int flags = Qt::TextWordWrap);

    QPagedPaintDevice* device_;
    QCPPainter painter_;
    QRectF page_;
    double top_ = 0.0;     // below the running header
    double bottom_ = 0.0;  // above the footer
    double y_ = 0.0;
    int pages_ = 1;
    int totalPages_ = 0;
    QString headerLeft_, headerRight_;
    QFont body_, bold_, small_, mono_, headingFont_, subheadingFont_, titleFont_;
};
