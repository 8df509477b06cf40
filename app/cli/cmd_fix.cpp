// biasguard-cli fix: exports the fix in one of four formats (QUANT_SPEC §10): the fixed float
// model (every foldable BatchNorm folded, gamma separation kept where the plan separates;
// core/export/fixed_model_export.h), the QDQ model (fix_qdq.h), AIMET encodings
// (core/export/encodings_export.h) or a Model Explorer overlay (core/export/overlay_export.h);
// --save-plan writes the resolved plan beside any of them.
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "fix_qdq.h"
#include "progress_printer.h"

#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "export/encodings_export.h"
#include "export/fix_provenance_json.h"
#include "export/fixed_model_export.h"
#include "export/overlay_export.h"
#include "folding/fusion_group.h"
#include "integer/integer_runtime.h"
#include "io/error.h"

#include <QFileInfo>
#include <QTextStream>

namespace bgcli {

namespace {

const QStringList kFormats = {"float", "qdq", "encodings", "overlay"};

// Refuses the input model, and two outputs on one file, before anything is computed.
void refuseOutputs(const QString& model, const QString& out, const QString& plan)
{
    bg::refuseInputAsOutput(model.toStdString(), out.toStdString());
    if (!plan.isEmpty()) {
        bg::refuseInputAsOutput(model.toStdString(), plan.toStdString());
        if (QFileInfo(plan).absoluteFilePath() == QFileInfo(out).absoluteFilePath())
            throw bg::Error(bg::ErrorCode::BadSetting, plan.toStdString(), "--save-plan and --out name the same file");
    }
}

int writeFloat(const CalibratedModel& m, const bg::FoldAnalysis& analysis, const bg::FixPlan& plan,
               const bg::QuantSettings& settings, const QString& model, const QString& out)
{
    const bg::FixedModelSummary s = bg::exportFixedModel(model.toStdString(), out.toStdString(), m.model->pairs,
                                                         plan.resolvedPerPair(analysis), bg::fixProvenanceJson(settings, plan));
    QTextStream(stdout) << "folded " << s.foldedPairs << " BatchNorm pairs; gamma separation kept on " << s.separatedChannels
                        << " channels of " << s.separatedLayers << " layers\n";
    return Ok;
}

int writeEncodingsFile(const CalibratedModel& m, const bg::FoldAnalysis& analysis, const bg::FixPlan& plan,
                       const QString& model, const QString& out)
{
    const bg::IntegerRuntime runtime(*m.model, m.ranges, analysis, plan);
    const bg::FixedModel fixed = bg::buildFixedModel(model.toStdString(), m.model->pairs, plan.resolvedPerPair(analysis));
    bg::writeEncodings(out.toStdString(), runtime, fixed);
    QTextStream(stdout) << "encodings of " << runtime.quantizedTensors().size() << " activations and "
                        << runtime.quantizedGroups().size() << " integer layers, for the tensor names of the fixed float model\n";
    for (const auto& [layer, reason] : runtime.groups().floatLinear)
        QTextStream(stdout) << "linear layer '" << QString::fromStdString(layer)
                            << "' runs in float, no weight encodings: " << QString::fromStdString(reason) << "\n";
    return Ok;
}

int writeOverlayFile(const CliParser& cli, const CalibratedModel& m, const bg::FoldAnalysis& analysis,
                     const bg::FixPlan& plan, bg::OverlayFigure figure, const QString& out)
{
    std::optional<bg::ModelComparison> comparison;
    if (bg::overlayNeedsComparison(figure)) {
        // The comparison cmd_compare runs, with the resolved plan as the fixed run.
        bg::ComparisonOptions options;
        options.plan = plan;
        options.progress = progressPrinter("compare");
        const std::unique_ptr<bg::CalibrationSource> separateInputs = openComparisonInputs(cli, m.graph());
        comparison = bg::compareModel(*m.model, m.ranges, analysis, separateInputs ? *separateInputs : *m.calibration, options);
    }
    bg::writeOverlay(out.toStdString(), figure, analysis, comparison ? &*comparison : nullptr, m.graph().graphName);
    QTextStream(stdout) << "Model Explorer overlay (" << bg::overlayFigureName(figure) << ") of " << analysis.layers.size()
                        << " layers; open with: model-explorer MODEL --node_data_paths=" << out << "\n";
    return Ok;
}

} // namespace

int fixCommand(const QStringList& args)
{
    CliParser cli("Exports the fix: the fixed float model (every foldable Conv/Gemm/MatMul -> BatchNormalization pair "
                  "folded, the channels the plan separates kept as L(W, b - mean) -> Mul(gamma/sigma) -> Add(beta); "
                  "QUANT_SPEC.md sections 2, 7, 10), a QDQ model, AIMET encodings or a Model Explorer overlay. The "
                  "input model is never overwritten.",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("out", "OUT", "the file to write (required)");
    cli.addValueOption("format", "F", "float (the fixed float model), qdq, encodings (AIMET JSON) or overlay (Model Explorer)",
                       "float");
    cli.addValueOption("figure", "F", "overlay: bits, out_of_range, sqnr_clamp or sqnr_fixed (the last two run a comparison)",
                       "bits");
    cli.addValueOption("inputs", "PATH", "overlay sqnr_*: compare on this input set (default: the calibration set)");
    cli.addValueOption("save-plan", "PLAN.json", "also write the resolved fix plan (re-apply it with --plan)");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    if (!cli.isSet("out")) {
        err << args[0] << ": --out OUT is required\n";
        return Usage;
    }
    const QString format = cli.value("format");
    if (!kFormats.contains(format)) {
        err << args[0] << ": --format must be one of " << kFormats.join(", ") << ", not '" << format << "'\n";
        return Usage;
    }
    if (cli.isSet("figure") && format != "overlay") {
        err << args[0] << ": --figure goes with --format overlay\n";
        return Usage;
    }
    const bg::OverlayFigure figure = bg::parseOverlayFigure(cli.value("figure").toStdString());
    bg::QuantSettings settings = cli.settings();
    const bg::FixPlan plan = cli.fixPlan(settings);
    const QString modelPath = cli.positional(), out = cli.value("out"), savePlan = cli.value("save-plan");
    refuseOutputs(modelPath, out, savePlan);

    const CalibratedModel m = loadAndCalibrate(cli);
    // The plan must name only layers and channels the model has; auto resolves per channel from the
    // analysis compare runs with, and the resolved plan is what every format applies.
    plan.checkAgainst(bg::groupChannels(m.model->groups));
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges);
    const bg::FixPlan resolved = plan.resolvedAgainst(analysis);

    int code = Ok;
    if (format == "float")
        code = writeFloat(m, analysis, resolved, settings, modelPath, out);
    else if (format == "qdq")
        code = writeQdqExport(m, analysis, resolved, settings, out);
    else if (format == "encodings")
        code = writeEncodingsFile(m, analysis, resolved, modelPath, out);
    else
        code = writeOverlayFile(cli, m, analysis, resolved, figure, out);
    if (code != Ok)
        return code;
    QTextStream(stdout) << "wrote " << out << "\n";
    if (!savePlan.isEmpty()) {
        resolved.save(savePlan.toStdString());
        QTextStream(stdout) << "wrote " << savePlan << " (the resolved plan: --plan " << savePlan << " re-applies it)\n";
    }
    return Ok;
}

} // namespace bgcli
