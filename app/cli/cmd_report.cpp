// biasguard-cli report: the merged-bias analysis and the integer comparison as the GUI's PDF report.
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "pdf_report.h"
#include "progress_printer.h"

#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "fix/fix_plan.h"

#include <QTextStream>

#include <memory>

namespace bgcli {

int reportCommand(const QStringList& args)
{
    CliParser cli("Writes a PDF report: settings, the per-channel merged-bias analysis with its chart and, unless "
                  "--no-compare, float vs clamp vs fixed integer pipelines (QUANT_SPEC.md sections 1-8).",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("inputs", "PATH", "compare on this input set (same formats as --calib; default: the calibration set)");
    cli.addValueOption("out", "REPORT.pdf", "the PDF to write (required)");
    cli.addFlag("no-compare", "the analysis only (no integer runs)");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    if (!cli.isSet("out")) {
        err << args[0] << ": --out REPORT.pdf is required\n";
        return Usage;
    }
    const QString modelPath = cli.positional();
    bg::QuantSettings settings = cli.settings();
    const bg::FixPlan plan = cli.fixPlan(settings);
    const CalibratedModel m = loadAndCalibrate(cli);

    ReportInput input;
    input.modelPath = modelPath;
    input.calibration = QString::fromStdString(m.calibration->description());
    input.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges));
    if (!cli.isSet("no-compare")) {
        const std::unique_ptr<bg::CalibrationSource> separateInputs = openComparisonInputs(cli, m.graph());
        bg::ComparisonOptions options;
        options.plan = plan;
        options.progress = progressPrinter("compare");
        input.comparison = std::make_shared<bg::ModelComparison>(bg::compareModel(
            *m.model, m.ranges, *input.analysis, separateInputs ? *separateInputs : *m.calibration, options));
        input.planOverrides = plan.size();
    }
    // The exact command, so that the report names how to regenerate itself.
    input.command = QStringList{QStringLiteral("biasguard-cli"), QStringLiteral("report")} + args.mid(1);
    if (cli.isSet("plan"))
        input.planPath = cli.value("plan");
    const int pages = writePdfReport(cli.value("out"), input);
    QTextStream(stdout) << "wrote " << cli.value("out") << " (" << pages << (pages == 1 ? " page" : " pages") << ")\n";
    return Ok;
}

} // namespace bgcli
