#include "pdf_report.h"

#include "bias_bits_chart.h"
#include "bits_histogram_chart.h"
#include "layer_sqnr_chart.h"
#include "report_appendix.h"
#include "report_canvas.h"
#include "report_format.h"
#include "report_layer_section.h"
#include "report_sensitivity_section.h"
#include "report_sweep_section.h"
#include "report_diagnosis.h"

#include "io/error.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace {

QString settingsLine(const bg::QuantSettings& s)
{
    return QObject::tr("Weights %1-bit %2 · activations %3-bit · bias register %4-bit · accumulator %5-bit · fixed strategy %6")
        .arg(s.weightBits)
        .arg(bg::granularityName(s.granularity))
        .arg(s.activationBits)
        .arg(s.biasBits)
        .arg(s.accumulatorBits)
        .arg(bg::strategyName(s.strategy))
        + (s.target.empty() ? QString() : QObject::tr(" · target %1").arg(QString::fromStdString(s.target)))
        + (s.arithmetic == bg::Arithmetic::Exact
               ? QString()
               : QObject::tr(" · arithmetic %1 (float32, half to even)").arg(QString::fromLatin1(bg::arithmeticName(s.arithmetic))));
}

QString fileSize(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QObject::tr("not found when the report was written");
    const qint64 bytes = info.size();
    return QObject::tr("%1 (%2 bytes)").arg(QLocale::c().formattedDataSize(bytes), QString::number(bytes));
}

void titleBlock(ReportCanvas& canvas, const ReportInput& in, const QString& date)
{
    const bg::FoldAnalysis& a = *in.analysis;
    canvas.title(QObject::tr("BiasGuard report: %1").arg(QFileInfo(in.modelPath).fileName()));
    QString plan = QObject::tr("auto (every channel the first strategy that fits)");
    if (in.comparison && in.planOverrides > 0)
        plan = QObject::tr("auto, %1 channel(s) set by hand%2")
                   .arg(in.planOverrides)
                   .arg(in.planPath.isEmpty() ? QString() : QObject::tr(" (%1)").arg(in.planPath));
    canvas.keyValues({
        {QObject::tr("Model"), in.modelPath},
        {QObject::tr("File size"), fileSize(in.modelPath)},
        {QObject::tr("Producer"), QString::fromStdString(a.producer.empty() ? "not recorded" : a.producer)},
        {QObject::tr("Opset"), QString::number(a.opset)},
        {QObject::tr("Written"), date},
        {QObject::tr("BiasGuard"), QStringLiteral(BIASGUARD_VERSION)},
        {QObject::tr("Settings"), settingsLine(a.settings)},
        {QObject::tr("Target"), in.target.isEmpty() ? QObject::tr("none chosen (the settings above)") : in.target},
        {QObject::tr("Calibration"), in.calibration},
        {QObject::tr("Fix plan"), in.comparison ? plan : QObject::tr("not run (analysis only)")},
    });
}

// How many layers have a channel out of range.
int64_t layersOutOfRange(const bg::FoldAnalysis& a)
{
    int64_t n = 0;
    for (const auto& l : a.layers)
        n += l.outOfRange > 0 ? 1 : 0;
    return n;
}

void summarySection(ReportCanvas& canvas, const ReportInput& in)
{
    const bg::FoldAnalysis& a = *in.analysis;
    const bg::AnalysisSummary& s = a.summary;
    canvas.heading(QObject::tr("Summary"));
    // The verdict: is the naive fold safe, does the fix hold, what did it measure.
    QString verdict;
    QColor tint(0xdc, 0xf0, 0xdc);
    if (s.outOfRange == 0 && s.crushed == 0) {
        verdict = QObject::tr("Safe to fold. Every merged bias of the %1 channels fits the %2-bit bias register at these "
                              "settings (the widest needs %3 bits); nothing needs fixing.")
                      .arg(s.channels)
                      .arg(a.settings.biasBits)
                      .arg(s.maxBits);
    } else {
        QStringList parts;
        if (s.outOfRange > 0)
            parts << QObject::tr("The naive fold breaks %1 of %2 channels in %3 layer(s): their merged biases need up to "
                                 "%4 bits, more than the %5-bit register holds, and would be clamped.")
                         .arg(s.outOfRange)
                         .arg(s.channels)
                         .arg(layersOutOfRange(a))
                         .arg(s.maxBits)
                         .arg(a.settings.biasBits);
        if (s.crushed > 0)
            parts << QObject::tr("Per-tensor weight scales crush %1 channel(s): all their weights round to zero.").arg(s.crushed);
        if (s.outOfRange > 0 && s.unfixable == 0)
            parts << QObject::tr("BiasGuard's fix holds all of them (%1 made constant, %2 gamma-separated, of which %3 "
                                 "with a widened weight scale).")
                         .arg(s.autoConstant)
                         .arg(s.autoSeparate)
                         .arg(s.autoWidened);
        else if (s.unfixable > 0)
            parts << QObject::tr("%1 channel(s) stay off by more than half an output step even after the fix (marked "
                                 "unfixable below): a wider bias register or retraining is needed for them.")
                         .arg(s.unfixable);
        verdict = parts.join(QLatin1Char(' '));
        tint = s.unfixable > 0 ? QColor(0xf6, 0xd9, 0xd9) : QColor(0xfb, 0xee, 0xd5);
    }
    if (in.comparison) {
        for (const auto& o : in.comparison->outputs) {
            const bool exact = o.exactBias.has_value();
            const double gain = o.fixed.sqnrDb - o.quantized.sqnrDb;
            QString measured = QObject::tr("Measured on %1 sample(s), output %2: SQNR %3 with the naive fold, %4 with the fix")
                                   .arg(in.comparison->samples)
                                   .arg(QString::fromStdString(o.name), reportDb(o.quantized.sqnrDb), reportDb(o.fixed.sqnrDb));
            if (exact)
                measured += QObject::tr(" (%1 with every bias held exactly)").arg(reportDb(o.exactBias->sqnrDb));
            if (!std::isfinite(gain) || std::abs(gain) < 0.05)
                measured += QObject::tr(": the overflow does not measurably change this output on these inputs.");
            else if (gain > 0)
                measured += QObject::tr(": the fix gains %1 dB.").arg(QString::number(gain, 'f', 2));
            else
                measured += QObject::tr(": the fix loses %1 dB — look at the per-layer table.").arg(QString::number(-gain, 'f', 2));
            verdict += QLatin1Char(' ') + measured;
        }
    }
    canvas.verdict(verdict, tint);
}

void analysisSection(ReportCanvas& canvas, const ReportInput& in, const bg::FixPlan& plan)
{
    const bg::FoldAnalysis& a = *in.analysis;
    canvas.heading(QObject::tr("Merged-bias analysis"));
    canvas.paragraph(QObject::tr("%1 foldable Conv/Gemm → BatchNorm pairs, %2 channels: %3 merged biases need more than "
                                 "the %4-bit register (the widest needs %5 bits), %6 channels crushed, %7 standalone "
                                 "BatchNorm. Auto fixes the out-of-range channels as: constant %8, gamma separation %9 "
                                 "(weight scale widened on %10), unfixable %11. The chart shows every channel: |γ| "
                                 "against the bits its merged bias needs, with the register width as a line.")
                         .arg(a.summary.pairs)
                         .arg(a.summary.channels)
                         .arg(a.summary.outOfRange)
                         .arg(a.settings.biasBits)
                         .arg(a.summary.maxBits)
                         .arg(a.summary.crushed)
                         .arg(a.standalone.size())
                         .arg(a.summary.autoConstant)
                         .arg(a.summary.autoSeparate)
                         .arg(a.summary.autoWidened)
                         .arg(a.summary.unfixable));
    BiasBitsChart chart;
    chart.setAnalysis(in.analysis);
    chart.setPlan(plan);
    canvas.chart(chart, 0.5);
    canvas.paragraph(QObject::tr("How many channels need how many bias bits, for the naive fold and for what the "
                                 "registers hold under the fix plan (log count axis; the dashed line is the %1-bit "
                                 "register: channels right of it saturate).")
                         .arg(a.settings.biasBits));
    BitsHistogramChart histogram;
    histogram.setAnalysis(in.analysis, plan);
    canvas.chart(histogram, 0.38);

    QList<QStringList> rows;
    for (const auto& l : a.layers) {
        int64_t unfixable = 0;
        for (const auto& c : l.channels)
            unfixable += c.unfixable ? 1 : 0;
        rows << QStringList{QString::fromStdString(l.name), QString::fromStdString(l.op), QString::number(l.channels.size()),
                            QString::number(l.outOfRange), QString::number(l.crushed), QString::number(l.maxBits),
                            QString::number(unfixable)};
    }
    canvas.subheading(QObject::tr("Every foldable layer"));
    canvas.table({QObject::tr("Layer"), QObject::tr("Op"), QObject::tr("Channels"), QObject::tr("Out of range"),
                  QObject::tr("Crushed"), QObject::tr("Max bits"), QObject::tr("Unfixable")},
                 rows, {4, 1.5, 1.3, 1.5, 1.2, 1.2, 1.3});
}

void comparisonSection(ReportCanvas& canvas, const ReportInput& in)
{
    const bg::ModelComparison& c = *in.comparison;
    canvas.pageBreak();
    canvas.heading(QObject::tr("Integer pipeline against float"));
    QStringList counts;
    for (const auto& [strategy, n] : c.planCounts)
        if (n > 0)
            counts << QString("%1 %2").arg(n).arg(bg::strategyName(strategy));
    canvas.paragraph(QObject::tr("%1 samples (%2). \"Clamp\" is the naive fold with saturating biases; \"fixed\" runs "
                                 "the fix plan (%3; %4). Accumulator overflows: clamp %5, fixed %6. Saturated biases: "
                                 "clamp %7, fixed %8.")
                         .arg(c.samples)
                         .arg(QString::fromStdString(c.inputs))
                         .arg(counts.join(", "))
                         .arg(in.planOverrides == 0 ? QObject::tr("auto everywhere")
                                                    : QObject::tr("%1 channels set by hand").arg(in.planOverrides))
                         .arg(c.overflowQuantized)
                         .arg(c.overflowFixed)
                         .arg(c.saturatedBiasesQuantized)
                         .arg(c.saturatedBiasesFixed));
    QList<QStringList> rows;
    for (const auto& o : c.outputs) {
        auto top1 = [](const std::optional<double>& t) { return t ? QString::number(*t * 100.0, 'f', 1) + " %" : QString("—"); };
        rows << QStringList{QString::fromStdString(o.name), reportDb(o.quantized.sqnrDb), reportDb(o.fixed.sqnrDb),
                            o.exactBias ? reportDb(o.exactBias->sqnrDb) : QString("—"), reportNumber(o.quantized.cosine, 6),
                            reportNumber(o.fixed.cosine, 6), top1(o.quantized.top1), top1(o.fixed.top1)};
    }
    canvas.table({QObject::tr("Output"), QObject::tr("SQNR clamp"), QObject::tr("SQNR fixed"), QObject::tr("Exact bias"),
                  QObject::tr("Cosine clamp"), QObject::tr("Cosine fixed"), QObject::tr("Top-1 clamp"), QObject::tr("Top-1 fixed")},
                 rows, {3, 1.4, 1.4, 1.4, 1.5, 1.5, 1.3, 1.3});
    for (const auto& o : c.outputs)
        if (o.accuracy) {
            const bg::TaskAccuracy& a = *o.accuracy;
            auto pct = [](double v) { return QString::number(v * 100.0, 'f', 1) + " %"; };
            canvas.paragraph(QObject::tr("Task accuracy on %1 labelled samples (output %2): float %3, clamp %4, fixed %5%6.")
                                 .arg(a.samples)
                                 .arg(QString::fromStdString(a.output), pct(a.floatModel), pct(a.quantized), pct(a.fixed),
                                      a.exactBias ? QObject::tr(", exact bias %1").arg(pct(*a.exactBias)) : QString()));
        }
    canvas.subheading(QObject::tr("Per layer"));
    canvas.paragraph(QObject::tr("Exact bias: a reference run with every channel separated over two 32-bit bias "
                                 "registers, so every bias is held — what a bias fix can reach. Fixed near it: the fix "
                                 "recovered what the register cost; clamp above it: right by accident."));
    LayerSqnrChart chart;
    chart.setComparison(in.comparison);
    canvas.chart(chart, 0.45);
    rows.clear();
    for (const auto& l : c.layers)
        rows << QStringList{QString::fromStdString(l.name), QString::number(l.outOfRange), QString::number(l.changedChannels),
                            reportDb(l.quantized.sqnrDb), reportDb(l.fixed.sqnrDb), reportDb(l.isolatedQuantized.sqnrDb),
                            reportDb(l.isolatedFixed.sqnrDb)};
    canvas.table({QObject::tr("Layer"), QObject::tr("Out"), QObject::tr("Fixed ch."), QObject::tr("SQNR clamp"),
                  QObject::tr("SQNR fixed"), QObject::tr("Alone: clamp"), QObject::tr("Alone: fixed")},
                 rows, {4, 0.8, 1.1, 1.4, 1.4, 1.4, 1.4});
    canvas.paragraph(QObject::tr("SQNR of the propagated run (each pipeline feeds its own upstream outputs, as deployed); "
                                 "\"alone\": the layer fed the float model's own input to it."));
}

// One pass over the document; `totalPages` 0 on the counting pass. Returns the pages drawn.
int renderReport(QPdfWriter& writer, const ReportInput& in, const QString& date, int totalPages, const QString& path)
{
    const bg::QuantSettings& s = in.analysis->settings;
    ReportCanvas canvas(&writer, QObject::tr("BiasGuard report · %1").arg(QFileInfo(in.modelPath).fileName()),
                        QObject::tr("W%1/A%2, %3-bit bias register · %4").arg(s.weightBits).arg(s.activationBits).arg(s.biasBits).arg(date),
                        totalPages);
    if (!canvas.isActive())
        throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot render a PDF page");
    // The plan the "after the fix" figures show: the one the comparison ran, else the settings'
    // strategy everywhere (what the CLI's --strategy runs).
    const bg::FixPlan plan = in.plan ? *in.plan : bg::FixPlan(s.strategy);
    titleBlock(canvas, in, date);
    summarySection(canvas, in);
    analysisSection(canvas, in, plan);
    layerDetailSection(canvas, in.analysis, plan);
    if (in.comparison) {
        comparisonSection(canvas, in);
        diagnosisSection(canvas, *in.comparison);
    }
    if (in.sweep)
        sweepSection(canvas, *in.sweep);
    if (in.sensitivity) {
        if (!in.sweep)
            canvas.pageBreak();
        sensitivitySection(canvas, *in.sensitivity);
    }
    canvas.pageBreak();
    formulasAppendix(canvas, s, in.comparison != nullptr, in.sweep != nullptr, in.sensitivity != nullptr);
    reproduceAppendix(canvas, in.command, in.planPath);
    return canvas.pages();
}

void setUpWriter(QPdfWriter& writer, const ReportInput& in)
{
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 12, 15, 12), QPageLayout::Millimeter);
    // A screen-like resolution: chart fonts (points) and markers (pixels) keep their on-screen
    // proportions; text and charts stay vectors whatever the resolution.
    writer.setResolution(96);
    writer.setCreator(QStringLiteral("BiasGuard " BIASGUARD_VERSION));
    writer.setTitle(QObject::tr("BiasGuard report: %1").arg(QFileInfo(in.modelPath).fileName()));
}

} // namespace

int writePdfReport(const QString& path, const ReportInput& in)
{
    if (!in.analysis)
        throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(), "no analysis to report: analyse the model first");
    const QString date = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    // "page N of M" needs M: a first pass into memory counts the pages, the second writes them.
    int total = 0;
    {
        QBuffer scratch;
        scratch.open(QIODevice::WriteOnly);
        QPdfWriter counter(&scratch);
        setUpWriter(counter, in);
        total = renderReport(counter, in, date, 0, path);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot write the report: " + file.errorString().toStdString());
    int pages = 0;
    {
        QPdfWriter writer(&file);
        setUpWriter(writer, in);
        pages = renderReport(writer, in, date, total, path);
    }
    if (!file.commit())
        throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot write the report: " + file.errorString().toStdString());
    return pages;
}
