// biasguard-cli fix: writes the fixed model (every foldable BatchNorm folded, gamma separation kept
// where the plan separates; core/export/fixed_model_export.h).
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"

#include "analysis/fold_analysis.h"
#include "export/fixed_model_export.h"
#include "folding/fusion_group.h"

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
    const CalibratedModel m = loadAndCalibrate(cli);
    // The analysis compare runs with; the plan resolves auto per channel from it, and must name
    // only layers and channels the model has.
    plan.checkAgainst(bg::groupChannels(m.model->groups));
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges);
    const bg::FixedModelSummary s = bg::exportFixedModel(modelPath.toStdString(), cli.value("out").toStdString(),
                                                         m.model->pairs, plan.resolvedPerPair(analysis));
    QTextStream(stdout) << "folded " << s.foldedPairs << " BatchNorm pairs; gamma separation kept on " << s.separatedChannels
                        << " channels of " << s.separatedLayers << " layers\nwrote " << cli.value("out") << "\n";
    return Ok;
}

} // namespace bgcli
