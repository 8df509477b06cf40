#include "pdf_report.h"

#include "bias_bits_chart.h"
#include "layer_sqnr_chart.h"
#include "report_canvas.h"

#include "io/error.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace {

QString num(double v, int digits = 4)
{
    return std::isfinite(v) ? QString::number(v, 'g', digits) : QString(v > 0 ? "inf" : (v < 0 ? "-inf" : "nan"));
}

QString db(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 2) + " dB" : QStringLiteral("∞");
}

QString settingsLine(const bg::QuantSettings& s)
{
    return QObject::tr("Weights %1-bit %2 · activations %3-bit · bias register %4-bit · accumulator %5-bit · fixed strategy %6")
        .arg(s.weightBits)
        .arg(bg::granularityName(s.granularity))
        .arg(s.activationBits)
        .arg(s.biasBits)
        .arg(s.accumulatorBits)
        .arg(bg::strategyName(s.strategy))
        + (s.target.empty() ? QString() : QObject::tr(" · target %1").arg(QString::fromStdString(s.target)));
}

void analysisSection(ReportCanvas& canvas, const ReportInput& in)
{
    const bg::FoldAnalysis& a = *in.analysis;
    struct Ref {
        const bg::LayerAnalysis* layer;
        const bg::ChannelAnalysis* ch;
    };
    std::vector<Ref> out;
    for (const auto& l : a.layers)
        for (const auto& c : l.channels) {
            if (c.outOfRange || c.crushed)
                out.push_back({&l, &c});
        }
    canvas.heading(QObject::tr("Merged-bias analysis (QUANT_SPEC §1–§5)"));
    canvas.paragraph(QObject::tr("%1 foldable Conv/Gemm → BatchNorm pairs, %2 channels: %3 merged biases need more than "
                                 "the %4-bit register (the widest needs %5 bits), %6 channels crushed, %7 standalone "
                                 "BatchNorm. Auto fixes the out-of-range channels as: constant %8, gamma separation %9 "
                                 "(weight scale widened on %10), unfixable %11.")
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
    canvas.chart(chart, 0.5);

    QList<QStringList> rows;
    for (const auto& l : a.layers) {
        int64_t unfixable = 0;
        for (const auto& c : l.channels)
            unfixable += c.unfixable ? 1 : 0;
        rows << QStringList{QString::fromStdString(l.name), QString::fromStdString(l.op), QString::number(l.channels.size()),
                            QString::number(l.outOfRange), QString::number(l.crushed), QString::number(l.maxBits),
                            QString::number(unfixable)};
    }
    canvas.table({QObject::tr("Layer"), QObject::tr("Op"), QObject::tr("Channels"), QObject::tr("Out of range"),
                  QObject::tr("Crushed"), QObject::tr("Max bits"), QObject::tr("Unfixable")},
                 rows, {4, 1.5, 1.3, 1.5, 1.2, 1.2, 1.3});

    if (out.empty())
        return;
    std::stable_sort(out.begin(), out.end(), [](const Ref& x, const Ref& y) { return x.ch->bits > y.ch->bits; });
    const size_t shown = std::min<size_t>(out.size(), 60);
    canvas.heading(QObject::tr("Channels out of range (%1 of %2, most bits first)").arg(shown).arg(out.size()));
    rows.clear();
    for (size_t i = 0; i < shown; ++i) {
        const auto& c = *out[i].ch;
        rows << QStringList{QString::fromStdString(out[i].layer->name), QString::number(c.channel), num(c.gamma),
                            num(c.biasExact, 6), QString::number(c.bits), QString::number(c.bitsSeparated),
                            QString(bg::strategyName(c.autoStrategy)) + (c.widened ? "*" : ""),
                            num(c.splitError, 3)};
    }
    canvas.table({QObject::tr("Layer"), QObject::tr("Ch"), QObject::tr("γ"), QObject::tr("Merged bias B"),
                  QObject::tr("Bits"), QObject::tr("Bits sep."), QObject::tr("Auto"), QObject::tr("Split err")},
                 rows, {4, 0.8, 1.5, 2, 0.8, 1.1, 1.4, 1.2});
    canvas.paragraph(QObject::tr("Auto: * = weight scale widened so the two bias registers hold the bias. Split err: "
                                 "the bias error the separated registers leave, in output steps (≤ 0.5 is as exact as "
                                 "an in-range fold). Per-channel notes are in the JSON/CSV export."));
}

void comparisonSection(ReportCanvas& canvas, const ReportInput& in)
{
    const bg::ModelComparison& c = *in.comparison;
    canvas.pageBreak();
    canvas.heading(QObject::tr("Integer pipeline against float (QUANT_SPEC §6–§8)"));
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
        rows << QStringList{QString::fromStdString(o.name), db(o.quantized.sqnrDb), db(o.fixed.sqnrDb),
                            o.exactBias ? db(o.exactBias->sqnrDb) : QString("—"), num(o.quantized.cosine, 6),
                            num(o.fixed.cosine, 6), top1(o.quantized.top1), top1(o.fixed.top1)};
    }
    canvas.table({QObject::tr("Output"), QObject::tr("SQNR clamp"), QObject::tr("SQNR fixed"), QObject::tr("Exact bias"),
                  QObject::tr("Cosine clamp"), QObject::tr("Cosine fixed"), QObject::tr("Top-1 clamp"), QObject::tr("Top-1 fixed")},
                 rows, {3, 1.4, 1.4, 1.4, 1.5, 1.5, 1.3, 1.3});
    canvas.paragraph(QObject::tr("Exact bias: a reference run with every channel separated over two 32-bit bias "
                                 "registers, so every bias is held — what a bias fix can reach. Fixed near it: the fix "
                                 "recovered what the register cost; clamp above it: right by accident."));
    LayerSqnrChart chart;
    chart.setComparison(in.comparison);
    canvas.chart(chart, 0.45);
    rows.clear();
    for (const auto& l : c.layers)
        rows << QStringList{QString::fromStdString(l.name), QString::number(l.outOfRange), QString::number(l.changedChannels),
                            db(l.quantized.sqnrDb), db(l.fixed.sqnrDb), db(l.isolatedQuantized.sqnrDb),
                            db(l.isolatedFixed.sqnrDb)};
    canvas.table({QObject::tr("Layer"), QObject::tr("Out"), QObject::tr("Fixed ch."), QObject::tr("SQNR clamp"),
                  QObject::tr("SQNR fixed"), QObject::tr("Alone: clamp"), QObject::tr("Alone: fixed")},
                 rows, {4, 0.8, 1.1, 1.4, 1.4, 1.4, 1.4});
    canvas.paragraph(QObject::tr("SQNR of the propagated run (each pipeline feeds its own upstream outputs, as deployed); "
                                 "\"alone\": the layer fed the float model's own input to it."));
}

} // namespace

int writePdfReport(const QString& path, const ReportInput& in)
{
    if (!in.analysis)
        throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(), "no analysis to report: analyse the model first");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot write the report: " + file.errorString().toStdString());
    int pages = 0;
    {
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        // A screen-like resolution: chart fonts (points) and markers (pixels) keep their on-screen
        // proportions; text and charts stay vectors whatever the resolution.
        writer.setResolution(96);
        writer.setCreator(QStringLiteral("BiasGuard " BIASGUARD_VERSION));
        writer.setTitle(QObject::tr("BiasGuard report: %1").arg(QFileInfo(in.modelPath).fileName()));
        ReportCanvas canvas(&writer);
        if (!canvas.isActive())
            throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot render a PDF page");
        const bg::FoldAnalysis& a = *in.analysis;
        canvas.title(QObject::tr("BiasGuard report: %1").arg(QFileInfo(in.modelPath).fileName()));
        canvas.paragraph(QObject::tr("Model %1 (producer %2, opset %3). %4. Calibration: %5. Written %6 by BiasGuard %7.")
                             .arg(in.modelPath, QString::fromStdString(a.producer.empty() ? "not recorded" : a.producer))
                             .arg(a.opset)
                             .arg(settingsLine(a.settings), in.calibration,
                                  QDateTime::currentDateTimeUtc().toString(Qt::ISODate), QStringLiteral(BIASGUARD_VERSION)));
        analysisSection(canvas, in);
        if (in.comparison)
            comparisonSection(canvas, in);
        canvas.heading(QObject::tr("Arithmetic"));
        canvas.paragraph(QObject::tr("Every figure follows docs/QUANT_SPEC.md. Where BiasGuard departs from it — notably "
                                     "gamma separation's bias split over both registers, widening the weight scale only "
                                     "where they cannot hold the bias — docs/SPEC_NOTES.md says why and what it measured."));
        pages = canvas.pages();
    }
    if (!file.commit())
        throw bg::Error(bg::ErrorCode::WriteFailed, path.toStdString(), "cannot write the report: " + file.errorString().toStdString());
    return pages;
}
