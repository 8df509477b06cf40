#include "cli_parser.h"

#include "cli_command.h"
#include "model/error.h"

#include <QTextStream>

namespace bgcli {

CliParser::CliParser(const QString& description, const QString& positionalName, const QString& positionalHelp)
{
    parser_.setApplicationDescription(description);
    parser_.addHelpOption();
    parser_.addPositionalArgument(positionalName, positionalHelp);
}

void CliParser::addValueOption(const QString& name, const QString& valueName, const QString& help,
                               const QString& defaultValue)
{
    QCommandLineOption option(name, help, valueName);
    if (!defaultValue.isEmpty())
        option.setDefaultValue(defaultValue);
    parser_.addOption(option);
}

void CliParser::addFlag(const QString& name, const QString& help)
{
    parser_.addOption(QCommandLineOption(name, help));
}

void CliParser::addSettingsOptions(bool withStrategy)
{
    const bg::QuantSettings d;
    addValueOption("weight-bits", "N", "weight bits n_w, 2..8 (signed symmetric narrow range)", QString::number(d.weightBits));
    addValueOption("activation-bits", "N", "activation bits n_a, 2..8 (unsigned affine)", QString::number(d.activationBits));
    addValueOption("bias-bits", "N", "bias register bits n_b, 8..32", QString::number(d.biasBits));
    addValueOption("granularity", "G", "weight scale granularity: per_channel or per_tensor", bg::granularityName(d.granularity));
    withStrategy_ = withStrategy;
    if (withStrategy)
        addValueOption("strategy", "S", "fix strategy: auto, separate, constant, widen or clamp", bg::strategyName(d.strategy));
}

std::optional<int> CliParser::parse(const QStringList& args)
{
    QTextStream err(stderr);
    if (!parser_.parse(args)) {
        err << args.value(0) << ": " << parser_.errorText() << "\n" << parser_.helpText();
        return Usage;
    }
    if (parser_.isSet("help")) {
        QTextStream(stdout) << parser_.helpText();
        return Ok;
    }
    const QStringList pos = parser_.positionalArguments();
    if (pos.size() != 1) {
        err << args.value(0) << ": expected exactly one model path, got " << pos.size() << " positional arguments\n"
            << parser_.helpText();
        return Usage;
    }
    positional_ = pos.front();
    return std::nullopt;
}

static int intSetting(const QCommandLineParser& p, const char* name)
{
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok)
        throw bg::Error(bg::ErrorCode::BadSetting, std::string("--") + name,
                        "'" + p.value(name).toStdString() + "' is not a whole number");
    return v;
}

bg::QuantSettings CliParser::settings() const
{
    bg::QuantSettings s;
    s.weightBits = intSetting(parser_, "weight-bits");
    s.activationBits = intSetting(parser_, "activation-bits");
    s.biasBits = intSetting(parser_, "bias-bits");
    s.granularity = bg::parseGranularity(parser_.value("granularity").toStdString());
    if (withStrategy_)
        s.strategy = bg::parseStrategy(parser_.value("strategy").toStdString());
    s.validate();
    return s;
}

} // namespace bgcli
