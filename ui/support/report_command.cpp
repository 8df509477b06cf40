#include "report_command.h"

#include <QRegularExpression>

QStringList reportCommand(const ReportCommandParts& p)
{
    const bg::QuantSettings defaults;
    const bg::QuantSettings& s = p.settings;
    QStringList args{QStringLiteral("biasguard-cli"), QStringLiteral("report"), p.modelPath};
    auto option = [&args](const char* name, const QString& value) { args << QStringLiteral("--%1").arg(QLatin1String(name)) << value; };
    // A target sets the four figures, and the CLI refuses it together with any of them.
    if (!s.target.empty()) {
        option("target", QString::fromStdString(s.target));
    } else {
        if (s.weightBits != defaults.weightBits)
            option("weight-bits", QString::number(s.weightBits));
        if (s.activationBits != defaults.activationBits)
            option("activation-bits", QString::number(s.activationBits));
        if (s.biasBits != defaults.biasBits)
            option("bias-bits", QString::number(s.biasBits));
        if (s.granularity != defaults.granularity)
            option("granularity", QString::fromLatin1(bg::granularityName(s.granularity)));
    }
    if (s.arithmetic != defaults.arithmetic)
        option("arithmetic", QString::fromLatin1(bg::arithmeticName(s.arithmetic)));
    if (!p.calibrationPath.isEmpty())
        option("calib", p.calibrationPath);
    const ImageCalibrationOptions& o = p.imageOptions;
    if (o.height > 0 && o.width > 0)
        option("input-size", QStringLiteral("%1x%2").arg(o.height).arg(o.width));
    const ImageCalibrationOptions imageDefaults;
    if (o.bgr)
        args << QStringLiteral("--image-bgr");
    auto triple = [](const std::array<float, 3>& v) {
        return QStringLiteral("%1,%2,%3").arg(v[0]).arg(v[1]).arg(v[2]);
    };
    if (o.mean != imageDefaults.mean)
        option("mean", triple(o.mean));
    if (o.std != imageDefaults.std)
        option("std", triple(o.std));
    if (!p.planPath.isEmpty())
        option("plan", p.planPath);
    else if (s.strategy != defaults.strategy)
        option("strategy", QString::fromLatin1(bg::strategyName(s.strategy)));
    if (!p.compare)
        args << QStringLiteral("--no-compare");
    if (!p.inputsPath.isEmpty())
        option("inputs", p.inputsPath);
    if (!p.labelsPath.isEmpty())
        option("labels", p.labelsPath);
    if (p.sweep) {
        args << QStringLiteral("--sweep");
        const QString weights = widthListText(p.sweepWeightBits), bias = widthListText(p.sweepBiasBits);
        if (!weights.isEmpty() && weights != QLatin1String("4,8"))
            option("sweep-weight-bits", weights);
        if (!bias.isEmpty() && bias != QLatin1String("8:32"))
            option("sweep-bias-bits", bias);
    }
    if (p.sensitivity)
        args << QStringLiteral("--sensitivity");
    option("out", p.outPath);
    return args;
}

QString shellCommandLine(const QStringList& args)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=+,@%-]+$"));
    QStringList words;
    for (const QString& a : args)
        words << (plain.match(a).hasMatch() ? a : QStringLiteral("'") + QString(a).replace(QStringLiteral("'"), QStringLiteral("'\\''")) + QStringLiteral("'"));
    return words.join(QLatin1Char(' '));
}

QString widthListText(const std::vector<int>& widths)
{
    bool run = widths.size() >= 3;
    for (size_t i = 1; run && i < widths.size(); ++i)
        run = widths[i] == widths[i - 1] + 1;
    if (run)
        return QStringLiteral("%1:%2").arg(widths.front()).arg(widths.back());
    QStringList parts;
    for (int w : widths)
        parts << QString::number(w);
    return parts.join(QLatin1Char(','));
}
