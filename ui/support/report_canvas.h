#pragma once
// A flowing, paginated page layout for the PDF report: title, headings, paragraphs, tables (header
// repeated after a page break, cells elided to their column) and QCustomPlot charts drawn as vectors
// (the same chart classes as the screen). Everything is placed top to bottom; a block that does not
// fit the rest of the page starts a new one.
#include <QList>
#include <QRectF>
#include <QStringList>

#include <qcustomplot.h>

class QPagedPaintDevice;

class ReportCanvas {
public:
    explicit ReportCanvas(QPagedPaintDevice* device);
    ~ReportCanvas();
    ReportCanvas(const ReportCanvas&) = delete;
    ReportCanvas& operator=(const ReportCanvas&) = delete;

    bool isActive() const { return painter_.isActive(); }
    void title(const QString& text);
    void heading(const QString& text);
    void paragraph(const QString& text);
    // `widths` are relative column widths (one per header); rows shorter than the header are padded.
    void table(const QStringList& headers, const QList<QStringList>& rows, const QList<double>& widths);
    // The chart at the full text width, `aspect` = height / width, as vector art.
    void chart(QCustomPlot& plot, double aspect);
    void pageBreak();
    int pages() const { return pages_; }

private:
    void ensure(double height);
    double lineHeight(const QFont& font);
    double drawText(const QString& text, const QFont& font);

    QPagedPaintDevice* device_;
    QCPPainter painter_;
    QRectF page_;
    double y_ = 0.0;
    int pages_ = 1;
    QFont body_, bold_, small_, headingFont_, titleFont_;
};
