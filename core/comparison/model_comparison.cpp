#include "comparison/model_comparison.h"

#include "io/error.h"
#include "integer/activation_quantizer.h"
#include "integer/group_executor.h"
#include "integer/integer_runtime.h"
#include "runtime/float_runtime.h"

namespace bg {

ModelComparison compareModel(const Graph& graph, const RangeTable& ranges, CalibrationSource& inputs,
                             const ComparisonOptions& options)
{
    const FloatRuntime floatRuntime(graph);
    const IntegerRuntime quantized(graph, ranges, options.settings, FixPlan(Strategy::Clamp));
    const IntegerRuntime fixed(graph, ranges, options.settings, options.plan);
    std::optional<IntegerRuntime> wide;
    if (options.exactBiasReference) {
        QuantSettings wideSettings = options.settings;
        wideSettings.biasBits = 32;  // two 32-bit registers hold any bias of a sane model exactly
        wide.emplace(graph, ranges, wideSettings, FixPlan(Strategy::Separate));
    }

    ModelComparison result;
    result.settings = options.settings;
    result.inputs = inputs.description();
    result.samples = inputs.count();
    if (result.samples == 0)
        throw Error(ErrorCode::BadInput, inputs.description(), "the input set is empty");
    result.planCounts = fixed.staticStats().channelsPerStrategy;
    result.unfoldedCounts = fixed.staticStats().unfoldedPerStrategy;
    result.unfoldedChannels = fixed.staticStats().unfoldedChannels();
    result.saturatedBiasesQuantized = quantized.staticStats().saturatedBiases;
    result.saturatedBiasesFixed = fixed.staticStats().saturatedBiases;

    const auto& groups = fixed.groups().groups;
    std::vector<MetricAccumulator> outQ, outF, outW;
    for (size_t k = 0; k < graph.outputs.size(); ++k) {
        outQ.emplace_back();
        outF.emplace_back();
        outW.emplace_back();
    }
    std::vector<int64_t> failQ(graph.outputs.size(), 0), failF(graph.outputs.size(), 0);
    std::vector<MetricAccumulator> layQ, layF, layW, isoQ, isoF;
    RunOptions floatOptions;
    if (options.perLayer) {
        for (const FusionGroup& g : groups) {
            const int axis = (g.kind == LinearKind::Gemm || g.kind == LinearKind::MatMul) ? 1000 : 1;
            layQ.emplace_back(axis);  // 1000: clamped to the last axis
            layF.emplace_back(axis);
            layW.emplace_back(axis);
            isoQ.emplace_back(axis);
            isoF.emplace_back(axis);
            floatOptions.keep.insert(g.groupOutput);
            floatOptions.keep.insert(g.input);
        }
    }
    floatOptions.cancel = options.cancel;
    IntegerRunOptions intOptions;
    intOptions.keepGroupOutputs = options.perLayer;
    intOptions.cancel = options.cancel;
    const bool tolerance = options.atol && options.rtol;

    for (size_t i = 0; i < result.samples; ++i) {
        const std::map<std::string, Tensor> sample = inputs.sample(i);
        TensorMap in(sample.begin(), sample.end());
        const TensorMap ref = floatRuntime.run(in, floatOptions);
        const IntegerRunResult q = quantized.run(in, intOptions);
        const IntegerRunResult f = fixed.run(in, intOptions);
        const std::optional<IntegerRunResult> w = wide ? std::optional<IntegerRunResult>(wide->run(in, intOptions)) : std::nullopt;
        result.overflowQuantized += q.stats.accumulatorOverflows;
        result.overflowFixed += f.stats.accumulatorOverflows;
        for (size_t k = 0; k < graph.outputs.size(); ++k) {
            const std::string& name = graph.outputs[k].name;
            const Tensor& r = ref.at(name);
            if (!r.isFloat())
                continue;
            outQ[k].add(r, q.outputs.at(name));
            outF[k].add(r, f.outputs.at(name));
            if (w)
                outW[k].add(r, w->outputs.at(name));
            if (tolerance) {
                failQ[k] += checkTolerance(r, q.outputs.at(name), *options.atol, *options.rtol).failed;
                failF[k] += checkTolerance(r, f.outputs.at(name), *options.atol, *options.rtol).failed;
            }
        }
        if (options.perLayer) {
            for (size_t gi = 0; gi < groups.size(); ++gi) {
                const std::string& t = groups[gi].groupOutput;
                layQ[gi].add(ref.at(t), q.groupOutputs.at(t));
                layF[gi].add(ref.at(t), f.groupOutputs.at(t));
                if (w)
                    layW[gi].add(ref.at(t), w->groupOutputs.at(t));
                // Isolated: both plans on the same quantized float input.
                const QuantizedGroup& gq = quantized.quantizedGroups()[gi];
                const QuantizedGroup& gf = fixed.quantizedGroups()[gi];
                const Node& linear = graph.nodes[groups[gi].linearIndex];
                const QuantActivation x = quantizeActivation(ref.at(groups[gi].input), gq.input);
                GroupRunCounters counters;
                const QuantActivation yq = runQuantizedGroup(linear, graph.opset, groups[gi], gq, x, false, counters);
                const QuantActivation yf = runQuantizedGroup(linear, graph.opset, groups[gi], gf, x, false, counters);
                isoQ[gi].add(ref.at(t), dequantizeActivation(yq, gq.output));
                isoF[gi].add(ref.at(t), dequantizeActivation(yf, gf.output));
            }
        }
        if (options.progress)
            options.progress(i + 1, result.samples);
    }

    for (size_t k = 0; k < graph.outputs.size(); ++k) {
        OutputComparison oc;
        oc.name = graph.outputs[k].name;
        oc.quantized = outQ[k].metrics();
        oc.fixed = outF[k].metrics();
        if (wide)
            oc.exactBias = outW[k].metrics();
        if (tolerance) {
            oc.failedQuantized = failQ[k];
            oc.failedFixed = failF[k];
        }
        result.outputs.push_back(std::move(oc));
    }
    if (options.perLayer) {
        for (size_t gi = 0; gi < groups.size(); ++gi) {
            const FusionGroup& g = groups[gi];
            const QuantizedGroup& qg = fixed.quantizedGroups()[gi];
            LayerComparison lc;
            lc.name = g.name;
            lc.op = g.op;
            lc.tensor = g.groupOutput;
            lc.folded = g.hasBn;
            lc.outputScale = qg.output.scale;
            for (const LayerAnalysis& la : fixed.analysis().layers)
                if (g.hasBn && la.pairIndex == static_cast<size_t>(g.pairIndex))
                    lc.outOfRange = la.outOfRange;
            if (!g.hasBn)  // no analysis of its own: the channels whose naive bias saturates
                for (const ChannelRequant& r : quantized.quantizedGroups()[gi].channels)
                    lc.outOfRange += r.biasSaturated ? 1 : 0;
            for (const ChannelRequant& r : qg.channels)
                lc.changedChannels += r.strategy != Strategy::Clamp ? 1 : 0;
            lc.quantized = layQ[gi].metrics(lc.outputScale);
            lc.fixed = layF[gi].metrics(lc.outputScale);
            if (wide)
                lc.exactBias = layW[gi].metrics(lc.outputScale);
            lc.isolatedQuantized = isoQ[gi].metrics(lc.outputScale);
            lc.isolatedFixed = isoF[gi].metrics(lc.outputScale);
            lc.worstQuantized = layQ[gi].worstChannels(options.worstChannels);
            lc.worstFixed = layF[gi].worstChannels(options.worstChannels);
            result.layers.push_back(std::move(lc));
        }
    }
    return result;
}

} // namespace bg
