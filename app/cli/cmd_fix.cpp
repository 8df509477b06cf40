// biasguard-cli fix: writes the fixed model (every foldable BatchNorm folded, gamma separation kept
// where the plan separates; core/export/fixed_model_export.h).
#include "calibration_opener.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "progress_printer.h"

#include "export/fixed_model_export.h"
#include "model/model_loader.h"
#include "calibration/calibrator.h"
#include "integer/integer_runtime.h"

#include <QTextStream>

namespace bgcli {

int fixCommand(const QStringList& args)
{
    CliParser cli("Writes the fixed model: every foldable Conv/Gemm/MatMul -> BatchNormalization pair folded, the "
                  "channels the plan separates kept as L(W, b - mean) -> Mul(gamma/sigma) -> Add(beta) (QUANT_SPEC.md "
                  "sections 2 and 7). The float function is unchanged; the input model is never overwritten.",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("out", "FIXED.onnx", "the model to write (required)");
    if (auto code = cli.parse(args))
        return *code;
    if (!cli.isSet("out")) {
        QTextStream(stderr) << args[0] << ": --out FIXED.onnx is required\n";
        return Usage;
    }
    bg::QuantSettings settings = cli.settings();
    const bg::FixPlan plan = cli.fixPlan(settings);
    const QString modelPath = cli.positional();
    const bg::Graph graph = bg::loadModel(modelPath.toStdString());
    auto calibration = openCalibration(cli.value("calib"), graph, cli.imageOptions());
    bg::CalibrationOptions calibOptions;
    calibOptions.progress = progressPrinter("calibration");
    const bg::RangeTable ranges = bg::calibrate(graph, *calibration, calibOptions);

    // The integer runtime makes the same analysis compare runs with, and checks the plan against the
    // model's layers; the plan resolves auto per channel from that analysis.
    const bg::IntegerRuntime runtime(graph, ranges, settings, plan);
    const bg::FixedModelSummary s = bg::exportFixedModel(modelPath.toStdString(), cli.value("out").toStdString(),
                                                         runtime.foldPairs(), plan.resolvedPerPair(runtime.analysis()));
    QTextStream(stdout) << "folded " << s.foldedPairs << " BatchNorm pairs; gamma separation kept on " << s.separatedChannels
                        << " channels of " << s.separatedLayers << " layers\nwrote " << cli.value("out") << "\n";
    return Ok;
}

} // namespace bgcli
