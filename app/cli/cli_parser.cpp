#include "cli_parser.h"

#include "cli_command.h"
#include "arithmetic/hardware_target.h"
#include "io/error.h"
#include "sweep/width_sweep.h"

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

void CliParser::addSettingsOptions(bool withStrategy, bool widthLists)
{
    const bg::QuantSettings d;
    widthLists_ = widthLists;
    if (widthLists) {
        addValueOption("weight-bits", "LIST", "weight widths n_w, each 2..8: a list (4,8) or a range (2:8)", "4,8");
        addValueOption("bias-bits", "RANGE", "bias register widths n_b, each 8..32: a range (8:32) or a list (16,24,32)", "8:32");
    } else {
        addValueOption("weight-bits", "N", "weight bits n_w, 2..8 (signed symmetric narrow range)", QString::number(d.weightBits));
    }
    addValueOption("activation-bits", "N", "activation bits n_a, 2..8 (unsigned affine)", QString::number(d.activationBits));
    if (!widthLists)
        addValueOption("bias-bits", "N", "bias register bits n_b, 8..32", QString::number(d.biasBits));
    addValueOption("granularity", "G", "weight scale granularity: per_channel or per_tensor", bg::granularityName(d.granularity));
    addValueOption("target", "NAME", "hardware preset: sets the widths and the granularity "
                                     "(biasguard-cli targets lists them; not with the four options above)");
    addValueOption("arithmetic", "A",
                   "integer rounding: exact (QUANT_SPEC: exact quotients, half away from zero) or onnxruntime "
                   "(what ONNX Runtime computes for the QDQ export: float32, half to even)",
                   bg::arithmeticName(d.arithmetic));
    withSettings_ = true;
    withStrategy_ = withStrategy;
    if (withStrategy)
        addValueOption("strategy", "S", "fix strategy: auto, separate, constant, widen or clamp", bg::strategyName(d.strategy));
}

void CliParser::addCalibrationOptions()
{
    addValueOption("calib", "PATH",
                   "calibration folder: test_data_set_*/input_K.pb, *.npy or images (default: 8 synthetic samples)");
    addValueOption("encodings", "FILE",
                   "take the activation ranges from this encodings file (fix --format encodings) instead of calibrating");
    addFlag("image-bgr", "images: feed channels in BGR order (default RGB)");
    addValueOption("mean", "M,M,M", "images: per-channel mean of x = (pixel/255 - mean)/std", "0.5,0.5,0.5");
    addValueOption("std", "S,S,S", "images: per-channel std", "0.5,0.5,0.5");
    addValueOption("input-size", "HxW", "height and width for 4-D inputs whose H/W are dynamic (synthetic samples and images; default 640x640)");
}

static std::array<float, 3> threeFloats(const QCommandLineParser& p, const char* name)
{
    const QStringList parts = p.value(name).split(',');
    std::array<float, 3> v{};
    bool ok = parts.size() == 3 || parts.size() == 1;
    for (int i = 0; ok && i < 3; ++i)
        v[static_cast<size_t>(i)] = parts.value(parts.size() == 1 ? 0 : i).toFloat(&ok);
    if (!ok)
        throw bg::Error(bg::ErrorCode::BadSetting, std::string("--") + name,
                        "'" + p.value(name).toStdString() + "' is not one or three comma-separated numbers");
    return v;
}

ImageCalibrationOptions CliParser::imageOptions() const
{
    ImageCalibrationOptions o;
    o.bgr = parser_.isSet("image-bgr");
    o.mean = threeFloats(parser_, "mean");
    o.std = threeFloats(parser_, "std");
    for (float s : o.std)
        if (!(s > 0))
            throw bg::Error(bg::ErrorCode::BadSetting, "--std", "every std must be positive");
    if (parser_.isSet("input-size")) {
        const QStringList hw = parser_.value("input-size").split('x');
        bool okH = false, okW = false;
        if (hw.size() == 2) {
            o.height = hw[0].toInt(&okH);
            o.width = hw[1].toInt(&okW);
        }
        if (!okH || !okW || o.height <= 0 || o.width <= 0)
            throw bg::Error(bg::ErrorCode::BadSetting, "--input-size",
                            "'" + parser_.value("input-size").toStdString() + "' is not HxW, e.g. 640x640");
    }
    return o;
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
    if (withSettings_ && parser_.isSet("target")) {
        QStringList explicitOptions;
        for (const char* o : {"weight-bits", "activation-bits", "bias-bits", "granularity"})
            if (parser_.isSet(o))
                explicitOptions << QString("--") + o;
        if (!explicitOptions.isEmpty()) {
            err << args.value(0) << ": --target " << parser_.value("target") << " sets the widths and the granularity; "
                << "give either --target or " << explicitOptions.join(", ") << ", not both\n";
            return Usage;
        }
    }
    if (withPlan_ && withStrategy_ && parser_.isSet("plan") && parser_.isSet("strategy")) {
        err << args.value(0) << ": give either --plan or --strategy, not both\n";
        return Usage;
    }
    return std::nullopt;
}

void CliParser::addPlanOption(const QString& help)
{
    addValueOption("plan", "PLAN.json", help);
    withPlan_ = true;
}

bg::FixPlan CliParser::fixPlan(bg::QuantSettings& settings) const
{
    if (!withPlan_ || !parser_.isSet("plan"))
        return bg::FixPlan(settings.strategy);
    bg::FixPlan plan = bg::FixPlan::load(parser_.value("plan").toStdString());
    settings.strategy = plan.defaultStrategy();
    return plan;
}

std::vector<int> CliParser::widthList(const QString& name) const
{
    // A target fixes the weight width; the bias widths stay the sweep's range (parse() refused an
    // explicit --bias-bits with it), and the table marks the target's.
    if (name == "weight-bits" && parser_.isSet("target"))
        return {bg::findTarget(parser_.value("target").toStdString()).weightBits};
    return bg::parseWidthList(parser_.value(name).toStdString(), "--" + name.toStdString());
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
    if (!widthLists_) {
        s.weightBits = intSetting(parser_, "weight-bits");
        s.biasBits = intSetting(parser_, "bias-bits");
    }
    s.activationBits = intSetting(parser_, "activation-bits");
    s.granularity = bg::parseGranularity(parser_.value("granularity").toStdString());
    s.arithmetic = bg::parseArithmetic(parser_.value("arithmetic").toStdString());
    if (withStrategy_)
        s.strategy = bg::parseStrategy(parser_.value("strategy").toStdString());
    if (parser_.isSet("target")) {
        const bg::HardwareTarget& t = bg::findTarget(parser_.value("target").toStdString());
        s = t.apply(s);  // the sweep marks the target's bias width in its table
    }
    s.validate();
    return s;
}

} // namespace bgcli
