// biasguard-cli report: the merged-bias analysis and the integer comparison as the GUI's PDF report,
// with the width sweep (--sweep) and the sensitivity ranking (--sensitivity) when asked: the same
// core calls as `sweep` and `compare --sensitivity`, over the one calibration.
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "pdf_report.h"
#include "progress_printer.h"

#include "analysis/fold_analysis.h"
#include "calibration/class_labels.h"
#include "comparison/model_comparison.h"
#include "arithmetic/hardware_target.h"
#include "fix/fix_plan.h"
#include "sweep/fix_sensitivity.h"
#include "sweep/width_sweep.h"

#include <QTextStream>

#include <memory>

namespace bgcli {

int reportCommand(const QStringList& args)
{
    CliParser cli("Writes a PDF report: settings, the per-channel merged-bias analysis with its charts and, unless "
                  "--no-compare, float vs clamp vs fixed integer pipelines (QUANT_SPEC.md sections 1-8); with --sweep "
                  "the width sweep and its recommendation, with --sensitivity the layers worth fixing.",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("inputs", "PATH", "compare on this input set (same formats as --calib; default: the calibration set)");
    cli.addValueOption("labels", "LABELS.json", "class index per input sample (JSON array, in the order of the "
                                                "sample folders): the task accuracy in the comparison");
    cli.addValueOption("out", "REPORT.pdf", "the PDF to write (required)");
    cli.addFlag("no-compare", "no comparison section (the analysis, and the sweep or sensitivity when asked)");
    // The sweep's widths have options of their own: --weight-bits and --bias-bits stay the one
    // setting the rest of the report analyses at, so that a report can show both (the GUI's does).
    cli.addFlag("sweep", "add the width sweep: SQNR of clamp, fix and exact bias at every weight width x bias width, "
                         "and the recommended bias register (as biasguard-cli sweep)");
    cli.addValueOption("sweep-weight-bits", "LIST",
                       "with --sweep: weight widths, a list (4,8) or a range (2:8); default 4,8 or --target's", "4,8");
    cli.addValueOption("sweep-bias-bits", "RANGE",
                       "with --sweep: bias register widths, a range (8:32) or a list (16,24,32)", "8:32");
    cli.addFlag("sensitivity", "add the sensitivity ranking: each layer's fix alone, ranked by the output SQNR it gains, "
                               "and the fewest layers giving 90 % of the plan's gain (as compare --sensitivity)");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    if (!cli.isSet("out")) {
        err << args[0] << ": --out REPORT.pdf is required\n";
        return Usage;
    }
    if (!cli.isSet("sweep") && (cli.isSet("sweep-weight-bits") || cli.isSet("sweep-bias-bits"))) {
        err << args[0] << ": --sweep-weight-bits and --sweep-bias-bits set the widths of --sweep; give --sweep too\n";
        return Usage;
    }
    const QString modelPath = cli.positional();
    bg::QuantSettings settings = cli.settings();
    const bg::FixPlan plan = cli.fixPlan(settings);
    bg::SweepOptions sweepOptions;
    if (cli.isSet("sweep")) {
        // Checked before the calibration, so that a typo costs no run.
        sweepOptions.weightBits = cli.isSet("target") && !cli.isSet("sweep-weight-bits")
                                      ? std::vector<int>{bg::findTarget(cli.value("target").toStdString()).weightBits}
                                      : bg::parseWidthList(cli.value("sweep-weight-bits").toStdString(), "--sweep-weight-bits");
        sweepOptions.biasBits = bg::parseWidthList(cli.value("sweep-bias-bits").toStdString(), "--sweep-bias-bits");
        sweepOptions.plan = plan;
        sweepOptions.progress = progressPrinter("sweep");
    }
    const CalibratedModel m = loadAndCalibrate(cli);

    ReportInput input;
    input.modelPath = modelPath;
    input.calibration = QString::fromStdString(m.calibration->description());
    input.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges));
    input.plan = std::make_shared<bg::FixPlan>(plan);
    const std::unique_ptr<bg::CalibrationSource> separateInputs = openComparisonInputs(cli, m.graph());
    bg::CalibrationSource& inputs = separateInputs ? *separateInputs : *m.calibration;
    if (!cli.isSet("no-compare")) {
        bg::ComparisonOptions options;
        options.plan = plan;
        options.progress = progressPrinter("compare");
        if (cli.isSet("labels"))
            options.labels = bg::readClassLabels(cli.value("labels").toStdString());
        input.comparison = std::make_shared<bg::ModelComparison>(
            bg::compareModel(*m.model, m.ranges, *input.analysis, inputs, options));
        input.planOverrides = plan.size();
    }
    if (cli.isSet("sweep"))
        input.sweep = std::make_shared<bg::WidthSweep>(bg::sweepWidths(*m.model, m.ranges, inputs, settings, sweepOptions));
    if (cli.isSet("sensitivity")) {
        bg::SensitivityOptions so;
        so.progress = progressPrinter("sensitivity");
        input.sensitivity = std::make_shared<bg::FixSensitivity>(
            bg::analyzeFixSensitivity(*m.model, m.ranges, *input.analysis, inputs, plan, so));
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
