// biasguard-cli report: the merged-bias analysis and the integer comparison as the GUI's PDF report.
#include "calibration_opener.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "pdf_report.h"
#include "progress_printer.h"

#include "folding/fold_pair_finder.h"
#include "comparison/model_comparison.h"
#include "fix/fix_plan.h"
#include "model/model_loader.h"
#include "calibration/calibrator.h"

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
    const ImageCalibrationOptions imageOptions = cli.imageOptions();
    bg::QuantSettings settings = cli.settings();
    const bg::Graph graph = bg::loadModel(modelPath.toStdString());
    const bg::FixPlan plan = cli.fixPlan(settings);

    auto calibration = openCalibration(cli.value("calib"), graph, imageOptions);
    bg::CalibrationOptions calibOptions;
    calibOptions.progress = progressPrinter("calibration");
    const bg::RangeTable ranges = bg::calibrate(graph, *calibration, calibOptions);

    ReportInput input;
    input.modelPath = modelPath;
    input.calibration = QString::fromStdString(calibration->description());
    input.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(graph, bg::findFoldPairs(graph), settings, ranges));
    if (!cli.isSet("no-compare")) {
        std::unique_ptr<bg::CalibrationSource> separateInputs;
        if (cli.isSet("inputs"))
            separateInputs = openCalibration(cli.value("inputs"), graph, imageOptions);
        bg::ComparisonOptions options;
        options.settings = settings;
        options.plan = plan;
        options.progress = progressPrinter("compare");
        input.comparison = std::make_shared<bg::ModelComparison>(
            bg::compareModel(graph, ranges, separateInputs ? *separateInputs : *calibration, options));
        input.planOverrides = plan.size();
    }
    const int pages = writePdfReport(cli.value("out"), input);
    QTextStream(stdout) << "wrote " << cli.value("out") << " (" << pages << (pages == 1 ? " page" : " pages") << ")\n";
    return Ok;
}

} // namespace bgcli
