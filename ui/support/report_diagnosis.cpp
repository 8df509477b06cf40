#include "report_diagnosis.h"

#include "report_canvas.h"

#include <QObject>

#include <cmath>

namespace {

QString number(double v, int prec = 4)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', prec);
}

} // namespace

void diagnosisSection(ReportCanvas& canvas, const bg::ModelComparison& c)
{
    canvas.heading(QObject::tr("Where else the pipeline loses: activation ranges"));
    if (c.firstCollapse) {
        const bg::FirstCollapse& fc = *c.firstCollapse;
        canvas.paragraph(QObject::tr("First collapse: %1, the first layer whose propagated SQNR (fixed run) falls %2 dB or "
                                     "more below its input's: its input %3 at %4 dB, its output at %5 dB.")
                             .arg(QString::fromStdString(fc.layer), number(bg::kCollapseDropDb),
                                  QString::fromStdString(fc.inputTensor), number(fc.sqnrInDb, 3), number(fc.sqnrOutDb, 3)));
    } else {
        canvas.paragraph(QObject::tr("First collapse: none — no layer's propagated SQNR falls %1 dB or more below its input's.")
                             .arg(number(bg::kCollapseDropDb)));
    }
    QList<QStringList> rows;
    for (const bg::TensorRangeDiagnosis& d : c.activationDiagnosis) {
        if (rows.size() >= 10 || !d.flagged())
            break;
        rows << QStringList{QString::fromStdString(d.tensor), QString::fromStdString(d.consumer),
                            QString("[%1, %2]").arg(number(d.lo), number(d.hi)), number(d.medianChannelSpan),
                            number(d.ratio, 3), number(d.estCostDb, 3) + " dB"};
    }
    if (rows.isEmpty()) {
        canvas.paragraph(QObject::tr("No quantized tensor loses a bit (6 dB) to its one per-tensor activation scale."));
        return;
    }
    canvas.paragraph(QObject::tr("The tensors whose one per-tensor activation scale costs most against per-channel scales "
                                 "(estimated from the rounding step, s²/12, weighted by the consumer's weights). Remedies "
                                 "BiasGuard does not apply: per-channel activation scales where the target has them, or "
                                 "cross-layer equalization (as in AIMET) to even the channels' ranges."));
    canvas.table({QObject::tr("Tensor"), QObject::tr("Consumer"), QObject::tr("Range"), QObject::tr("Median ch."),
                  QObject::tr("Ratio"), QObject::tr("Est. cost")},
                 rows, {0.26, 0.2, 0.2, 0.12, 0.1, 0.12});
}
