#include "chart_export_menu.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSvgGenerator>

ChartExportMenu* ChartExportMenu::install(QCustomPlot* chart, const QString& suggestedName)
{
    return new ChartExportMenu(chart, suggestedName);
}

ChartExportMenu::ChartExportMenu(QCustomPlot* chart, const QString& suggestedName)
    : QObject(chart), chart_(chart), suggestedName_(suggestedName)
{
    chart_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(chart_, &QWidget::customContextMenuRequested, this, &ChartExportMenu::showMenu);
}

void ChartExportMenu::showMenu(const QPoint& pos)
{
    QMenu menu(chart_);
    menu.addAction(tr("Save as PNG…"), this, [this] { saveDialog(tr("PNG image (*.png)"), "png"); });
    menu.addAction(tr("Save as PDF…"), this, [this] { saveDialog(tr("PDF document (*.pdf)"), "pdf"); });
    menu.addAction(tr("Save as SVG…"), this, [this] { saveDialog(tr("SVG image (*.svg)"), "svg"); });
    menu.exec(chart_->mapToGlobal(pos));
}

void ChartExportMenu::saveDialog(const QString& filter, const QString& suffix)
{
    QString path = QFileDialog::getSaveFileName(chart_, tr("Save Chart"), suggestedName_ + "." + suffix, filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += "." + suffix;
    QString error;
    if (!save(chart_, path, &error) && !qEnvironmentVariableIsSet("BIASGUARD_NO_DIALOGS"))
        QMessageBox::critical(chart_, tr("Save Chart"), error);
}

// QCustomPlot writes PNG and PDF itself; SVG goes through QSvgGenerator (Qt SVG), vector like the PDF.
// Each format is written to a temporary file and renamed, so a failed save leaves no half file.
bool ChartExportMenu::save(QCustomPlot* chart, const QString& path, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    auto fail = [&](const QString& why) {
        if (error)
            *error = tr("%1: %2").arg(QDir::toNativeSeparators(path), why);
        return false;
    };
    if (suffix != "png" && suffix != "pdf" && suffix != "svg")
        return fail(tr("unknown chart format '%1' (use .png, .pdf or .svg)").arg(suffix));
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return fail(out.errorString());
    const int w = chart->width(), h = chart->height();
    bool ok = false;
    if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setOutputDevice(&out);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(QFileInfo(path).completeBaseName());
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            chart->toPainter(&painter, w, h);
            ok = painter.end();
        }
    } else {
        // savePng/savePdf take a file name: write to a sibling temporary and hand its bytes over.
        const QString tmp = path + ".part";
        ok = suffix == "png" ? chart->savePng(tmp, w, h) : chart->savePdf(tmp, w, h);
        QFile part(tmp);
        ok = ok && part.open(QIODevice::ReadOnly) && out.write(part.readAll()) == part.size();
        part.remove();
    }
    if (!ok) {
        out.cancelWriting();
        return fail(tr("could not draw the chart"));
    }
    if (!out.commit())
        return fail(out.errorString());
    return true;
}
