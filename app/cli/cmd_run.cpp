// biasguard-cli run: executes the model on input_K.pb files and writes output_K.pb.
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "run_timing.h"

#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"
#include "integer/integer_runtime.h"

#include "runtime/input_folder.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTextStream>

#include <omp.h>

namespace bgcli {

int runCommand(const QStringList& args)
{
    CliParser cli("Runs MODEL on DIR/input_K.pb (matched by name when set, else by position) and writes "
                  "DIR/output_K.pb in the order of the graph outputs.",
                  "MODEL", "the .onnx model");
    cli.addValueOption("input-dir", "DIR", "folder with input_0.pb, input_1.pb, ...");
    cli.addValueOption("output-dir", "DIR", "folder to write output_K.pb into (created if missing)");
    cli.addValueOption("kernels", "K", "fast (oneDNN) or reference (plain loops)", "fast");
    // --mode int: the integer pipeline (QUANT_SPEC sections 4, 6, 7), calibrated on --calib.
    cli.addValueOption("mode", "M", "float (the model as is) or int (the integer pipeline)", "float");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption("--mode int: fix plan to use instead of --strategy");
    cli.addValueOption("repeat", "N", "after the first run, N timed runs of the same inputs; prints median_ms last", "0");
    cli.addValueOption("threads", "T", "OpenMP threads for oneDNN and the kernels (default: every core)");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    if (!cli.isSet("input-dir") || !cli.isSet("output-dir")) {
        err << args[0] << ": --input-dir and --output-dir are required\n";
        return Usage;
    }
    const QString kernels = cli.value("kernels");
    if (kernels != "fast" && kernels != "reference") {
        err << args[0] << ": --kernels must be fast or reference\n";
        return Usage;
    }

    bool okRepeat = false;
    const int repeat = cli.value("repeat").toInt(&okRepeat);
    if (!okRepeat || repeat < 0) {
        err << args[0] << ": --repeat must be a non-negative whole number\n";
        return Usage;
    }
    if (cli.isSet("threads")) {
        bool okThreads = false;
        const int threads = cli.value("threads").toInt(&okThreads);
        if (!okThreads || threads < 1) {
            err << args[0] << ": --threads must be a positive whole number\n";
            return Usage;
        }
        omp_set_num_threads(threads);  // before oneDNN's first primitive: it sizes its team then
    }

    const QString mode = cli.value("mode");
    if (mode != "float" && mode != "int") {
        err << args[0] << ": --mode must be float or int\n";
        return Usage;
    }
    bg::QuantSettings settings = cli.settings();
    const ImageCalibrationOptions imageOptions = cli.imageOptions();  // a usage error before anything loads

    const std::shared_ptr<const bg::ModelStructure> model = bg::loadModelStructure(cli.positional().toStdString());
    const bg::Graph& graph = model->graph;
    auto inputs = bg::readInputFolder(cli.value("input-dir").toStdString(), graph);
    bg::TensorMap outputs;
    RunTiming timing;
    if (mode == "float") {
        const bg::FloatRuntime runtime(graph);
        bg::RunOptions options;
        options.kernels = kernels == "fast" ? bg::KernelChoice::Fast : bg::KernelChoice::Reference;
        bg::FloatKernelPaths paths;
        options.paths = &paths;
        timing = timeRuns([&] {
            // One run without --repeat gives the runtime its inputs, freed after their last reader.
            outputs = repeat == 0 ? runtime.run(std::move(inputs), options) : runtime.run(inputs, options);
            options.paths = nullptr;  // count the first run's kernels only
        }, repeat);
        // A fast run that fell back to the reference loops is slow for a reason the user can see here.
        if (options.kernels == bg::KernelChoice::Fast)
            QTextStream(stdout) << "float kernels: fast path " << paths.fast << ", reference fallback "
                                << paths.fallback << "\n";
    } else {
        const bg::FixPlan plan = cli.fixPlan(settings);
        const CalibratedModel m = calibrateModel(cli, imageOptions, model);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, model->pairs, settings, m.ranges);
        const bg::IntegerRuntime runtime(*model, m.ranges, analysis, plan);
        bg::IntegerRunOptions options;
        options.referenceKernels = kernels == "reference";
        bg::IntegerRunResult result;
        timing = timeRuns([&] { result = runtime.run(inputs, options); }, repeat);
        outputs = result.outputs;
        QTextStream(stdout) << "integer pipeline: weights " << settings.weightBits << "-bit "
                            << bg::granularityName(settings.granularity) << ", activations " << settings.activationBits
                            << "-bit, bias " << settings.biasBits << "-bit, arithmetic "
                            << bg::arithmeticName(settings.arithmetic) << "; calibration: "
                            << QString::fromStdString(m.calibration->description()) << "; " << result.stats.groups
                            << " fusion groups, " << result.stats.floatNodes << " float operators ("
                            << result.stats.chainedNodes << " in element-wise chains); accumulator overflows "
                            << result.stats.accumulatorOverflows << ", saturated biases " << result.stats.saturatedBiases
                            << "; kernels:";
        // Which integer kernel ran how often: a slow run on the reference loops shows here.
        for (const auto& [path, runs] : result.stats.kernelPaths)
            QTextStream(stdout) << " " << bg::intKernelPathName(path) << " " << runs;
        QTextStream(stdout) << "\n";
        // Linear layers the integer kernels cannot run (3-D convolution, Gemm transA = 1, ...) run
        // in float: say so, or their exact float result would pass for an integer one.
        for (const auto& [layer, reason] : runtime.groups().floatLinear)
            QTextStream(stdout) << "linear layer '" << QString::fromStdString(layer)
                                << "' runs in float: " << QString::fromStdString(reason) << "\n";
    }

    const QString outDir = cli.value("output-dir");
    if (!QDir().mkpath(outDir))
        throw bg::Error(bg::ErrorCode::WriteFailed, outDir.toStdString(), "cannot create the output folder");
    QTextStream out(stdout);
    for (size_t k = 0; k < graph.outputs.size(); ++k) {
        const auto& name = graph.outputs[k].name;
        const QString file = QDir(outDir).filePath(QString("output_%1.pb").arg(k));
        bg::writeTensorProtoFile(file.toStdString(), name, outputs.at(name));
        out << "output " << k << " '" << QString::fromStdString(name) << "' "
            << QString::fromStdString(bg::shapeToString(outputs.at(name).shape())) << " -> " << file << "\n";
    }
    out << mode << " run: " << qRound64(timing.firstMs) << " ms\n";
    if (repeat > 0)  // the last line, for scripts: per inference, loading and calibration excluded
        out << "median_ms: " << QString::number(timing.medianMs, 'f', 2) << "\n";
    return Ok;
}

} // namespace bgcli
