#pragma once
// QCommandLineParser with BiasGuard's conventions: usage errors return exit code 2 (not the
// parser's own exit(1)), --help prints to stdout, and the quantization settings of QUANT_SPEC §3
// are parsed into a validated bg::QuantSettings.
#include "arithmetic/quant_settings.h"
#include "fix/fix_plan.h"
#include "image_calibration_options.h"

#include <QCommandLineParser>
#include <QString>

#include <optional>
#include <vector>

namespace bgcli {

class CliParser {
public:
    CliParser(const QString& description, const QString& positionalName, const QString& positionalHelp);

    QCommandLineParser& parser() { return parser_; }
    void addValueOption(const QString& name, const QString& valueName, const QString& help,
                        const QString& defaultValue = {});
    void addFlag(const QString& name, const QString& help);
    // --weight-bits --activation-bits --bias-bits --granularity --target (and --strategy when asked).
    // --target NAME (arithmetic/hardware_target.h) sets the widths and the granularity: parse()
    // refuses it with any of the four (exit 2).
    // `widthLists` (the sweep): --weight-bits and --bias-bits take lists and ranges ("4,8", "8:32"),
    // read with widthList(); settings() then leaves the two widths at their defaults.
    void addSettingsOptions(bool withStrategy, bool widthLists = false);
    // --calib, --encodings (ranges from an encodings file instead of calibrating) and the image
    // options (--image-bgr, --mean, --std, --input-size).
    void addCalibrationOptions();
    // --plan PLAN.json, exclusive with --strategy (parse() refuses both).
    void addPlanOption(const QString& help = QStringLiteral("fix plan to use instead of --strategy"));

    // Parses; returns an exit code to stop with (0 after --help, 2 on a usage error) or nullopt to go on.
    std::optional<int> parse(const QStringList& args);

    QString positional() const { return positional_; }
    QString value(const QString& name) const { return parser_.value(name); }
    bool isSet(const QString& name) const { return parser_.isSet(name); }
    // Throws bg::Error(BadSetting) for non-numbers and out-of-range values.
    bg::QuantSettings settings() const;
    // --weight-bits or --bias-bits of addSettingsOptions(.., true) as widths; throws bg::Error(BadSetting).
    std::vector<int> widthList(const QString& name) const;
    // Throws bg::Error(BadSetting) for malformed --mean/--std/--input-size.
    ImageCalibrationOptions imageOptions() const;
    // The --plan file, else a plan of --strategy everywhere; `settings.strategy` becomes the plan's
    // default (what channels without an entry use). Throws bg::Error naming the plan file.
    bg::FixPlan fixPlan(bg::QuantSettings& settings) const;

private:
    QCommandLineParser parser_;
    QString positional_;
    bool withStrategy_ = false;
    bool withPlan_ = false;
    bool widthLists_ = false;
    bool withSettings_ = false;
};

} // namespace bgcli
