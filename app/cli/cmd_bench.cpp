// biasguard-cli bench: the two timings of the performance work that no other command shows
// (scripts/bench.sh reads them). Calibration and the float reference are computed first and not
// timed: they are what the GUI holds already when an engineer changes a setting.
//   re-analysis: analyzeFolds again after a change of a bit width or the granularity, the ranges cached;
//   re-run: the fixed integer pipeline over the input set after one channel's strategy changes, with
//   its output and per-layer metrics — incrementally (only the changed group and what reads it,
//   integer/integer_run_memo.h) and in full, checked bit-identical.
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"

#include "analysis/fold_analysis.h"
#include "comparison/metric_accumulator.h"
#include "fix/fix_plan.h"
#include "integer/integer_runtime.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"
#include "runtime/input_folder.h"

#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace bgcli {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// The settings an engineer flips between: every width and the granularity, one at a time.
std::vector<bg::QuantSettings> settingChanges(const bg::QuantSettings& base)
{
    std::vector<bg::QuantSettings> changes;
    auto add = [&](const std::function<void(bg::QuantSettings&)>& change) {
        bg::QuantSettings s = base;
        change(s);
        changes.push_back(s);
    };
    add([](bg::QuantSettings& s) { s.weightBits = s.weightBits == 8 ? 4 : 8; });
    add([](bg::QuantSettings& s) { s.weightBits = s.weightBits == 6 ? 5 : 6; });
    add([](bg::QuantSettings& s) { s.activationBits = s.activationBits == 8 ? 6 : 8; });
    add([](bg::QuantSettings& s) { s.biasBits = s.biasBits == 16 ? 12 : 16; });
    add([](bg::QuantSettings& s) { s.biasBits = s.biasBits == 32 ? 8 : 32; });
    add([](bg::QuantSettings& s) {
        s.granularity = s.granularity == bg::Granularity::PerChannel ? bg::Granularity::PerTensor
                                                                     : bg::Granularity::PerChannel;
    });
    return changes;
}

struct SampleRef {
    bg::TensorMap inputs;
    bg::TensorMap floatTensors;  // graph outputs and every group output
};

// The fixed run's side of a comparison: metrics of every output and group output over the samples.
void accumulate(const bg::Graph& graph, const bg::FusionGroups& groups, const SampleRef& ref,
                const bg::IntegerRunResult& run, std::vector<bg::MetricAccumulator>& acc)
{
    size_t k = 0;
    for (const bg::ValueInfo& out : graph.outputs)
        acc[k++].add(ref.floatTensors.at(out.name), run.outputs.at(out.name));
    for (const bg::FusionGroup& g : groups.groups)
        acc[k++].add(ref.floatTensors.at(g.groupOutput), run.groupOutputs.at(g.groupOutput));
}

// The peak-memory target's bound: the weights (every constant) and the two largest activations of a
// float run on DIR's inputs (their real shapes: the models' H/W are often dynamic).
int printMemoryBound(const QString& modelPath, const QString& inputDir)
{
    const bg::Graph graph = bg::loadModel(modelPath.toStdString());
    const bg::TensorMap inputs = [&] {
        const auto read = bg::readInputFolder(inputDir.toStdString(), graph);
        return bg::TensorMap(read.begin(), read.end());
    }();
    int64_t weights = 0;
    for (const auto& [name, t] : graph.constants)
        weights += static_cast<int64_t>(t->numel()) * (t->isFloat() ? 4 : 8);
    std::vector<int64_t> activations;
    for (const auto& [name, t] : inputs)
        activations.push_back(static_cast<int64_t>(t.numel()) * (t.isFloat() ? 4 : 8));
    bg::RunOptions options;
    options.onNodeDone = [&](const bg::Node&, const std::vector<bg::Tensor>& outs) {
        for (const bg::Tensor& t : outs)
            activations.push_back(static_cast<int64_t>(t.numel()) * (t.isFloat() ? 4 : 8));
    };
    bg::FloatRuntime(graph).run(inputs, options);
    std::sort(activations.rbegin(), activations.rend());
    const int64_t two = (activations.size() > 0 ? activations[0] : 0) + (activations.size() > 1 ? activations[1] : 0);
    QTextStream out(stdout);
    out << "weights_bytes: " << weights << "\n";
    out << "two_largest_activations_bytes: " << two << "\n";
    out << "memory_bound_bytes: " << 3 * (weights + two) << "  (3 x (weights + the two largest activations))\n";
    return Ok;
}

} // namespace

int benchCommand(const QStringList& args)
{
    CliParser cli("Timings of the re-analysis after a setting change and of the integer comparison's re-run "
                  "after one channel's strategy changes (for scripts/bench.sh).",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption("the plan before the change (default: --strategy)");
    cli.addValueOption("repeat", "N", "rounds of the setting changes, and of each re-run", "5");
    cli.addValueOption("layer", "NAME", "the layer whose channel 0 changes strategy (default: the middle foldable layer)");
    cli.addValueOption("memory-bound", "DIR",
                       "only print the peak-memory bound: 3 x (weights + the two largest activations of a run on DIR/input_K.pb)");
    if (auto code = cli.parse(args))
        return *code;
    if (cli.isSet("memory-bound"))
        return printMemoryBound(cli.positional(), cli.value("memory-bound"));
    bool okRepeat = false;
    const int repeat = cli.value("repeat").toInt(&okRepeat);
    if (!okRepeat || repeat < 1) {
        QTextStream(stderr) << args[0] << ": --repeat must be a positive whole number\n";
        return Usage;
    }
    bg::QuantSettings settings = cli.settings();
    const bg::FixPlan plan = cli.fixPlan(settings);
    const CalibratedModel m = loadAndCalibrate(cli);
    const bg::Graph& graph = m.graph();
    QTextStream out(stdout);

    // Re-analysis, ranges cached.
    const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, m.model->pairs, settings, m.ranges);
    std::vector<double> reanalysis;
    for (int r = 0; r < repeat; ++r)
        for (const bg::QuantSettings& s : settingChanges(settings)) {
            const auto start = std::chrono::steady_clock::now();
            const bg::FoldAnalysis changed = bg::analyzeFolds(graph, m.model->pairs, s, m.ranges);
            reanalysis.push_back(msSince(start));
            if (changed.layers.size() != analysis.layers.size())
                throw bg::Error(bg::ErrorCode::InvalidModel, graph.path, "internal: re-analysis lost layers");
        }
    out << "channels: " << analysis.summary.channels << " in " << analysis.summary.pairs << " foldable layers\n";
    out << "reanalysis_ms: " << QString::number(median(reanalysis), 'f', 3) << " (median of "
        << reanalysis.size() << " changes; max " << QString::number(*std::max_element(reanalysis.begin(), reanalysis.end()), 'f', 3)
        << ")\n";

    if (analysis.layers.empty()) {
        out << "no foldable layer: no re-run to time\n";
        return Ok;
    }
    // The float reference and the plan's integer run of every sample, with their memos (not timed).
    const bg::FloatRuntime floatRuntime(graph);
    bg::RunOptions floatOptions;
    for (const bg::FusionGroup& g : m.model->groups.groups)
        floatOptions.keep.insert(g.groupOutput);
    std::vector<SampleRef> refs;
    for (size_t i = 0; i < m.calibration->count(); ++i) {
        const std::map<std::string, bg::Tensor> sample = m.calibration->sample(i);
        SampleRef ref{bg::TensorMap(sample.begin(), sample.end()), {}};
        ref.floatTensors = floatRuntime.run(ref.inputs, floatOptions);
        refs.push_back(std::move(ref));
    }
    const bg::IntegerRuntime before(*m.model, m.ranges, analysis, plan);
    bg::IntegerRunOptions intOptions;
    intOptions.keepGroupOutputs = true;
    std::vector<bg::IntegerRunMemo> memos(refs.size());
    std::vector<double> single;
    for (size_t i = 0; i < refs.size(); ++i) {
        bg::IntegerRunOptions recording = intOptions;
        recording.record = &memos[i];
        before.run(refs[i].inputs, recording);  // warm-up and memo
        const auto start = std::chrono::steady_clock::now();
        before.run(refs[i].inputs, intOptions);
        single.push_back(msSince(start));
    }
    const double oneInference = median(single);

    // One channel's strategy changes: channel 0 of the layer, to separate (or clamp if it separates).
    const bg::LayerAnalysis* layer = &analysis.layers[analysis.layers.size() / 2];
    if (cli.isSet("layer")) {
        layer = nullptr;
        for (const bg::LayerAnalysis& la : analysis.layers)
            if (la.name == cli.value("layer").toStdString())
                layer = &la;
        if (!layer)
            throw bg::Error(bg::ErrorCode::BadSetting, "--layer", "no foldable layer '" + cli.value("layer").toStdString() + "'");
    }
    bg::FixPlan changedPlan = plan;
    const bg::Strategy was = plan.resolved(*layer, layer->channels[0]);
    changedPlan.set(layer->name, 0, was == bg::Strategy::Separate ? bg::Strategy::Clamp : bg::Strategy::Separate);

    const size_t accCount = graph.outputs.size() + m.model->groups.groups.size();
    auto rerun = [&](bool incremental, std::vector<bg::IntegerRunResult>* results, size_t* recomputed) {
        const bg::IntegerRuntime after(*m.model, m.ranges, analysis, changedPlan);
        const std::vector<bool> changed = after.groupsChangedFrom(before);
        if (recomputed)
            *recomputed = static_cast<size_t>(std::count(changed.begin(), changed.end(), true));
        std::vector<bg::MetricAccumulator> acc(accCount);
        for (size_t i = 0; i < refs.size(); ++i) {
            bg::IntegerRunOptions o = intOptions;
            if (incremental) {
                o.reuse = &memos[i];
                o.changedGroups = &changed;
            }
            bg::IntegerRunResult r = after.run(refs[i].inputs, o);
            accumulate(graph, m.model->groups, refs[i], r, acc);
            if (results)
                results->push_back(std::move(r));
        }
        for (const bg::MetricAccumulator& a : acc)
            a.metrics();
    };
    std::vector<bg::IntegerRunResult> full, incremental;
    size_t changedGroups = 0;
    rerun(false, &full, nullptr);  // warm-up, and the results the incremental ones must equal
    rerun(true, &incremental, &changedGroups);
    bool identical = full.size() == incremental.size();
    for (size_t i = 0; identical && i < full.size(); ++i)
        for (const auto& [name, t] : full[i].outputs)
            identical = identical && t.floats().size() == incremental[i].outputs.at(name).floats().size()
                && std::equal(t.floats().begin(), t.floats().end(), incremental[i].outputs.at(name).floats().begin());
    std::vector<double> fullMs, incrementalMs;
    for (int r = 0; r < repeat; ++r) {
        auto start = std::chrono::steady_clock::now();
        rerun(false, nullptr, nullptr);
        fullMs.push_back(msSince(start));
        start = std::chrono::steady_clock::now();
        rerun(true, nullptr, nullptr);
        incrementalMs.push_back(msSince(start));
    }
    out << "changed: layer '" << QString::fromStdString(layer->name) << "' channel 0 " << bg::strategyName(was)
        << " -> " << bg::strategyName(changedPlan.strategyFor(layer->name, 0)) << "; groups recomputed "
        << changedGroups << " of " << m.model->groups.groups.size() << " (and what reads them)\n";
    out << "samples: " << refs.size() << "\n";
    out << "integer_inference_ms: " << QString::number(oneInference, 'f', 3) << "\n";
    out << "rerun_full_ms: " << QString::number(median(fullMs), 'f', 3) << "\n";
    out << "rerun_identical: " << (identical ? "yes" : "NO") << "\n";
    out << "rerun_incremental_ms: " << QString::number(median(incrementalMs), 'f', 3) << "\n";
    return identical ? Ok : Failure;
}

} // namespace bgcli
