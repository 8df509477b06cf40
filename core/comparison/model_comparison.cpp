#include "comparison/model_comparison.h"

#include "runtime/memory_estimate.h"

#include "integer/activation_quantizer.h"
#include "integer/group_executor.h"
#include "integer/integer_runtime.h"
#include "io/error.h"
#include "runtime/float_runtime.h"

#include <limits>
#include <set>

namespace bg {

namespace {

// What one integer run (clamp, the plan, or the exact-bias reference) accumulates over the input
// set: per graph output, per fusion group propagated (each run feeds its own upstream outputs) and
// isolated (the group alone on the float model's input to it).
struct RunAccumulators {
    std::vector<MetricAccumulator> outputs;
    std::vector<MetricAccumulator> layers;
    std::vector<MetricAccumulator> isolated;
    std::vector<int64_t> failed;  // per output: elements failing both tolerances
    int64_t overflows = 0;

    RunAccumulators(size_t outputCount, const std::vector<FusionGroup>& groups, bool perLayer)
        : outputs(outputCount), failed(outputCount, 0)
    {
        if (!perLayer)
            return;
        for (const FusionGroup& g : groups) {
            // The channel axis of the group's output: last for Gemm/MatMul (1000 is clamped to it).
            const int axis = (g.kind == LinearKind::Gemm || g.kind == LinearKind::MatMul) ? 1000 : 1;
            layers.emplace_back(axis);
            isolated.emplace_back(axis);
        }
    }
};

// `tolerance`: also count the elements failing both of options' tolerances (clamp and the plan).
void addOutputs(RunAccumulators& acc, const Graph& graph, const TensorMap& ref, const IntegerRunResult& run,
                const ComparisonOptions& options, bool tolerance)
{
    acc.overflows += run.stats.accumulatorOverflows;
    for (size_t k = 0; k < graph.outputs.size(); ++k) {
        const std::string& name = graph.outputs[k].name;
        const Tensor& r = ref.at(name);
        if (!r.isFloat())
            continue;
        acc.outputs[k].add(r, run.outputs.at(name));
        if (tolerance)
            acc.failed[k] += checkTolerance(r, run.outputs.at(name), *options.atol, *options.rtol).failed;
    }
}

void addLayers(RunAccumulators& acc, const std::vector<FusionGroup>& groups, const TensorMap& ref,
               const IntegerRunResult& run)
{
    for (size_t gi = 0; gi < groups.size(); ++gi) {
        const std::string& t = groups[gi].groupOutput;
        acc.layers[gi].add(ref.at(t), run.groupOutputs.at(t));
    }
}

// Each group of `runtime` alone, on the float model's own (quantized) input to it.
void addIsolated(RunAccumulators& acc, const Graph& graph, const IntegerRuntime& runtime, const TensorMap& ref)
{
    const std::vector<FusionGroup>& groups = runtime.groups().groups;
    for (size_t gi = 0; gi < groups.size(); ++gi) {
        const QuantizedGroup& qg = runtime.quantizedGroups()[gi];
        const Node& linear = graph.nodes[groups[gi].linearIndex];
        const QuantActivation x = quantizeActivation(ref.at(groups[gi].input), qg.input);
        GroupRunCounters counters;
        const QuantActivation y = runQuantizedGroup(linear, graph.opset, groups[gi], qg, x, false, counters);
        acc.isolated[gi].add(ref.at(groups[gi].groupOutput), dequantizeActivation(y, qg.output));
    }
}

OutputComparison outputComparison(const std::string& name, size_t k, const RunAccumulators& q, const RunAccumulators& f,
                                  const RunAccumulators* w, bool tolerance)
{
    OutputComparison oc;
    oc.name = name;
    oc.quantized = q.outputs[k].metrics();
    oc.fixed = f.outputs[k].metrics();
    if (w)
        oc.exactBias = w->outputs[k].metrics();
    if (tolerance) {
        oc.failedQuantized = q.failed[k];
        oc.failedFixed = f.failed[k];
    }
    return oc;
}

LayerComparison layerComparison(size_t gi, const FusionGroup& g, const IntegerRuntime& quantized,
                                const IntegerRuntime& fixed, const FoldAnalysis& analysis, const RunAccumulators& q,
                                const RunAccumulators& f, const RunAccumulators* w, size_t worstChannels)
{
    const QuantizedGroup& qg = fixed.quantizedGroups()[gi];
    LayerComparison lc;
    lc.name = g.name;
    lc.op = g.op;
    lc.tensor = g.groupOutput;
    lc.folded = g.hasBn;
    lc.outputScale = qg.output.scale;
    for (const LayerAnalysis& la : analysis.layers)
        if (g.hasBn && la.pairIndex == static_cast<size_t>(g.pairIndex))
            lc.outOfRange = la.outOfRange;
    if (!g.hasBn)  // no analysis of its own: the channels whose naive bias saturates
        for (const ChannelRequant& r : quantized.quantizedGroups()[gi].channels)
            lc.outOfRange += r.biasSaturated ? 1 : 0;
    for (const ChannelRequant& r : qg.channels)
        lc.changedChannels += r.strategy != Strategy::Clamp ? 1 : 0;
    lc.quantized = q.layers[gi].metrics(lc.outputScale);
    lc.fixed = f.layers[gi].metrics(lc.outputScale);
    if (w)
        lc.exactBias = w->layers[gi].metrics(lc.outputScale);
    lc.isolatedQuantized = q.isolated[gi].metrics(lc.outputScale);
    lc.isolatedFixed = f.isolated[gi].metrics(lc.outputScale);
    lc.worstQuantized = q.layers[gi].worstChannels(worstChannels);
    lc.worstFixed = f.layers[gi].worstChannels(worstChannels);
    return lc;
}

// The float run and the integer runs of one sample hold their kept tensors at once, beside the
// model's weights and their int8 codes (one copy per integer runtime); only one run's activations
// are live at a time.
void requireComparisonMemory(const Graph& graph, const TensorMap& sample, const std::set<std::string>& keep,
                             int64_t integerRuns, const ResourceLimits& limits)
{
    std::map<std::string, Shape> shapes;
    for (const auto& [name, t] : sample)
        shapes[name] = t.shape();
    const RunMemoryEstimate e = estimateRunMemory(graph, shapes, keep);
    const double total = static_cast<double>(e.constants) * (1.0 + 0.25 * static_cast<double>(integerRuns))
        + static_cast<double>(e.kept) * static_cast<double>(1 + integerRuns) + static_cast<double>(e.peakLive);
    requireMemory(graph, total > 9e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(total),
                  limits.memoryLimit(), "the comparison");
}

} // namespace

ModelComparison compareModel(const ModelStructure& model, const RangeTable& ranges, const FoldAnalysis& analysis,
                             CalibrationSource& inputs, const ComparisonOptions& options)
{
    const Graph& graph = model.graph;
    const FloatRuntime floatRuntime(graph);
    // Clamp and the plan read the same derivation; they differ only in the strategy each channel runs.
    const IntegerRuntime quantized(model, ranges, analysis, FixPlan(Strategy::Clamp));
    const IntegerRuntime fixed(model, ranges, analysis, options.plan);
    // The exact-bias reference runs at other settings (two 32-bit registers hold any bias of a sane
    // model exactly), so it has a derivation of its own.
    std::optional<FoldAnalysis> wideAnalysis;
    std::optional<IntegerRuntime> wide;
    if (options.exactBiasReference) {
        QuantSettings wideSettings = analysis.settings;
        wideSettings.biasBits = 32;
        wideAnalysis.emplace(analyzeFolds(graph, model.pairs, wideSettings, ranges));
        wide.emplace(model, ranges, *wideAnalysis, FixPlan(Strategy::Separate));
    }

    ModelComparison result;
    result.settings = analysis.settings;
    result.inputs = inputs.description();
    result.samples = inputs.count();
    if (result.samples == 0)
        throw Error(ErrorCode::BadInput, inputs.description(), "the input set is empty");
    result.planCounts = fixed.staticStats().channelsPerStrategy;
    result.unfoldedCounts = fixed.staticStats().unfoldedPerStrategy;
    result.unfoldedChannels = fixed.staticStats().unfoldedChannels();
    result.saturatedBiasesQuantized = quantized.staticStats().saturatedBiases;
    result.saturatedBiasesFixed = fixed.staticStats().saturatedBiases;

    const std::vector<FusionGroup>& groups = model.groups.groups;
    RunAccumulators q(graph.outputs.size(), groups, options.perLayer);
    RunAccumulators f(graph.outputs.size(), groups, options.perLayer);
    RunAccumulators w(graph.outputs.size(), groups, options.perLayer);
    RunOptions floatOptions;
    if (options.perLayer)
        for (const FusionGroup& g : groups) {
            floatOptions.keep.insert(g.groupOutput);
            floatOptions.keep.insert(g.input);
        }
    floatOptions.cancel = options.cancel;
    floatOptions.limits = options.limits;
    IntegerRunOptions intOptions;
    intOptions.keepGroupOutputs = options.perLayer;
    intOptions.cancel = options.cancel;
    intOptions.limits = options.limits;
    const int64_t integerRuns = wide ? 3 : 2;
    const bool tolerance = options.atol && options.rtol;
    // Task accuracy (with labels): float, clamp, the plan, the exact-bias reference.
    std::string scored;
    AccuracyTally accFloat, accQuantized, accFixed, accExact;

    FloatReferenceCache* cache = options.floatReference;
    const bool cached = cache && cache->serves(options.perLayer);
    if (cached && cache->inputs.size() != result.samples)
        throw Error(ErrorCode::BadInput, inputs.description(), "the float reference was computed on another input set");
    if (cache && !cached) {
        *cache = FloatReferenceCache{};
        cache->perLayer = options.perLayer;
    }
    for (size_t i = 0; i < result.samples; ++i) {
        TensorMap computedIn, computedRef;
        if (!cached) {
            const std::map<std::string, Tensor> sample = inputs.sample(i);
            computedIn = TensorMap(sample.begin(), sample.end());
        }
        const TensorMap& in = cached ? cache->inputs[i] : computedIn;
        if (i == 0)
            requireComparisonMemory(graph, in, floatOptions.keep, integerRuns, options.limits);
        if (!cached)
            computedRef = floatRuntime.run(computedIn, floatOptions);
        const TensorMap& ref = cached ? cache->outputs[i] : computedRef;
        const IntegerRunResult qr = quantized.run(in, intOptions);
        const IntegerRunResult fr = fixed.run(in, intOptions);
        if (options.labels) {
            if (i == 0)
                scored = scoredOutput(graph, ref, *options.labels, result.samples);
            accFloat.add(*options.labels, i, ref.at(scored), scored);
            accQuantized.add(*options.labels, i, qr.outputs.at(scored), scored);
            accFixed.add(*options.labels, i, fr.outputs.at(scored), scored);
        }
        addOutputs(q, graph, ref, qr, options, tolerance);
        addOutputs(f, graph, ref, fr, options, tolerance);
        if (options.perLayer) {
            addLayers(q, groups, ref, qr);
            addLayers(f, groups, ref, fr);
            addIsolated(q, graph, quantized, ref);
            addIsolated(f, graph, fixed, ref);
        }
        if (wide) {
            const IntegerRunResult wr = wide->run(in, intOptions);
            addOutputs(w, graph, ref, wr, options, false);
            if (options.labels)
                accExact.add(*options.labels, i, wr.outputs.at(scored), scored);
            if (options.perLayer)
                addLayers(w, groups, ref, wr);
        }
        if (cache && !cached) {
            cache->inputs.push_back(std::move(computedIn));
            cache->outputs.push_back(std::move(computedRef));
        }
        if (options.progress)
            options.progress(i + 1, result.samples);
    }
    if (cache && !cached)
        cache->filled = true;
    result.overflowQuantized = q.overflows;
    result.overflowFixed = f.overflows;

    const RunAccumulators* exact = wide ? &w : nullptr;
    for (size_t k = 0; k < graph.outputs.size(); ++k)
        result.outputs.push_back(outputComparison(graph.outputs[k].name, k, q, f, exact, tolerance));
    if (options.labels)
        for (OutputComparison& o : result.outputs)
            if (o.name == scored) {
                TaskAccuracy a{scored, accFloat.total, accFloat.fraction(), accQuantized.fraction(),
                               accFixed.fraction(), std::nullopt};
                if (wide)
                    a.exactBias = accExact.fraction();
                o.accuracy = a;
            }
    if (options.perLayer)
        for (size_t gi = 0; gi < groups.size(); ++gi)
            result.layers.push_back(layerComparison(gi, groups[gi], quantized, fixed, analysis, q, f, exact,
                                                    options.worstChannels));
    result.activationDiagnosis = diagnoseActivationRanges(model, ranges, analysis.settings.activationBits);
    if (options.perLayer) {
        // The plan's run: what is left once the bias registers are fixed.
        std::vector<double> sqnr;
        for (const LayerComparison& l : result.layers)
            sqnr.push_back(l.fixed.sqnrDb);
        result.firstCollapse = findFirstCollapse(model, sqnr);
    }
    return result;
}

} // namespace bg
