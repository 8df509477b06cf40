#include "report_sweep_section.h"

#include "report_canvas.h"
#include "report_format.h"
#include "sweep_plot.h"

#include <QObject>

QString recommendationSentence(const bg::BiasWidthRecommendation& rec)
{
    auto width = [](const std::optional<int>& b) {
        return b ? QObject::tr("%1 bits").arg(*b) : QObject::tr("more than any swept width");
    };
    QString s = QObject::tr("W%1: without the fix the register needs %2; with the fix %3")
                    .arg(rec.weightBits)
                    .arg(width(rec.withoutFix), width(rec.withFix));
    if (rec.withFix)
        s += QObject::tr(" (the fix changes %1 channels)").arg(rec.channelsChanged);
    s += QObject::tr("; reference %1 (%2)")
             .arg(reportDb(rec.referenceSqnrDb),
                  rec.reference == bg::ReferenceKind::ExactBias ? QObject::tr("exact bias")
                                                                : QObject::tr("overflow-free naive fold"));
    return s + QLatin1Char('.');
}

void sweepSection(ReportCanvas& canvas, const bg::WidthSweep& sweep)
{
    const std::vector<bg::BiasWidthRecommendation> recs = bg::recommendBiasWidths(sweep.rows);
    canvas.pageBreak();
    canvas.heading(QObject::tr("Width sweep: which bias register the model needs"));
    canvas.paragraph(QObject::tr("The analysis and the three integer runs at every weight width × bias register width, "
                                 "on one calibration: %1 (%2 samples)%3. Clamp is the naive fold; fixed runs the fix "
                                 "plan at each width; exact bias holds every bias exactly (two 32-bit registers), what "
                                 "a bias fix can reach. The recommended width is the smallest from which on the run "
                                 "stays within 1 dB of the reference on every output: the exact-bias run, or the naive fold "
                                 "at the widest width when no channel is out of range there and it is lower (the two "
                                 "pipelines round differently; that is not the register's cost).")
                         .arg(QString::fromStdString(sweep.inputs))
                         .arg(sweep.samples)
                         .arg(sweep.outputs.size() > 1
                                  ? QObject::tr("; %1 outputs, the figures are the worst output's").arg(sweep.outputs.size())
                                  : QString()));
    SweepPlot chart;
    chart.setSweep(std::make_shared<const bg::WidthSweep>(sweep), recs);
    canvas.chart(chart, 0.55);
    canvas.subheading(QObject::tr("Recommendation"));
    QStringList sentences;
    for (const bg::BiasWidthRecommendation& rec : recs)
        sentences << recommendationSentence(rec);
    canvas.paragraph(sentences.isEmpty() ? QObject::tr("The sweep has no rows.") : sentences.join(QLatin1Char(' ')));

    QList<QStringList> rows;
    for (const bg::SweepRow& r : sweep.rows) {
        const bg::RunFigures c = bg::worstFigures(r, bg::SweepRun::Clamp);
        const bg::RunFigures f = bg::worstFigures(r, bg::SweepRun::Fixed);
        const bg::RunFigures e = bg::worstFigures(r, bg::SweepRun::ExactBias);
        QStringList within;
        const std::vector<double> reference = bg::referenceSqnr(sweep.rows, r.weightBits);
        if (bg::withinReference(r, bg::SweepRun::Clamp, reference, 1.0))
            within << QObject::tr("clamp");
        if (bg::withinReference(r, bg::SweepRun::Fixed, reference, 1.0))
            within << QObject::tr("fixed");
        rows << QStringList{QStringLiteral("W%1").arg(r.weightBits), QString::number(r.biasBits),
                            QString::number(r.outOfRange), QString::number(r.unfixable), QString::number(r.channelsChanged),
                            reportDb(c.sqnrDb), reportDb(f.sqnrDb), reportDb(e.sqnrDb), reportNumber(c.cosine, 6),
                            reportNumber(f.cosine, 6), within.isEmpty() ? QStringLiteral("—") : within.join(", ")};
    }
    canvas.subheading(QObject::tr("Every setting of the sweep"));
    canvas.table({QObject::tr("Weights"), QObject::tr("Bias bits"), QObject::tr("Out of range"), QObject::tr("Unfixable"),
                  QObject::tr("Changed"), QObject::tr("SQNR clamp"), QObject::tr("SQNR fixed"), QObject::tr("SQNR exact"),
                  QObject::tr("Cos clamp"), QObject::tr("Cos fixed"), QObject::tr("Within 1 dB")},
                 rows, {1.0, 1.0, 1.5, 1.1, 1.1, 1.4, 1.4, 1.4, 1.3, 1.3, 1.4});
}
