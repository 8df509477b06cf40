#include "report_sensitivity_section.h"

#include "report_canvas.h"
#include "report_format.h"

#include <QObject>

#include <cmath>

QString sensitivitySummary(const bg::FixSensitivity& s)
{
    const double fullGain = s.fixedSqnrDb - s.clampSqnrDb;
    if (!(fullGain > 0))
        return QObject::tr("The whole plan gains nothing over clamp on these inputs: no layer is worth fixing for this "
                           "output.");
    const double share = 100.0 * (s.neededSqnrDb - s.clampSqnrDb) / fullGain;
    QString text = QObject::tr("Fixing the top %1 of %2 layers (%3 channels) gives %4 % of the whole plan's gain (%5; "
                               "the whole plan %6)")
                       .arg(s.layersNeeded)
                       .arg(s.layers.size())
                       .arg(s.channelsNeeded)
                       .arg(QString::number(share, 'f', 1))
                       .arg(reportDb(s.neededSqnrDb), reportDb(s.fixedSqnrDb));
    if (!s.reached)
        text += QObject::tr(", short of %1 %: the plan also changes layers outside the ranking")
                    .arg(QString::number(100.0 * s.fraction, 'f', 0));
    return text + QLatin1Char('.');
}

void sensitivitySection(ReportCanvas& canvas, const bg::FixSensitivity& s)
{
    canvas.heading(QObject::tr("Which layers are worth fixing"));
    canvas.paragraph(QObject::tr("Each layer with out-of-range channels fixed alone by the plan, every other channel "
                                 "clamp; SQNR of the worst output against float. Clamp everywhere: %1; the whole plan: "
                                 "%2. Ranked by gain, the largest first; the channels are those with the largest share "
                                 "of the layer's error in the clamp run (* out of range).")
                         .arg(reportDb(s.clampSqnrDb), reportDb(s.fixedSqnrDb)));
    canvas.verdict(sensitivitySummary(s), QColor(0xe4, 0xec, 0xf6));
    QList<QStringList> rows;
    for (size_t i = 0; i < s.layers.size(); ++i) {
        const bg::LayerSensitivity& l = s.layers[i];
        QStringList channels;
        for (size_t k = 0; k < std::min<size_t>(4, l.channels.size()); ++k)
            channels << QStringLiteral("%1%2 %3%").arg(l.channels[k].channel).arg(l.channels[k].outOfRange ? "*" : "")
                            .arg(QString::number(100.0 * l.channels[k].share, 'f', 0));
        rows << QStringList{QString::number(i + 1), QString::fromStdString(l.layer), QString::number(l.outOfRange),
                            QString::number(l.changedChannels), reportDb(l.sqnrDb),
                            std::isfinite(l.gainDb) ? QString::number(l.gainDb, 'f', 2) + " dB" : reportDb(l.gainDb),
                            channels.join("  ")};
    }
    canvas.table({QObject::tr("#"), QObject::tr("Layer"), QObject::tr("Out of range"), QObject::tr("Changed"),
                  QObject::tr("SQNR"), QObject::tr("Gain"), QObject::tr("Channels by share of the error")},
                 rows, {0.5, 3.6, 1.2, 1.0, 1.3, 1.2, 3.0}, 2);
}
