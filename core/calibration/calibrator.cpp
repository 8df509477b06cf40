#include "calibration/calibrator.h"

#include "io/error.h"
#include "calibration/calibration_ranges.h"
#include "calibration/channel_ranges.h"
#include "folding/fusion_group.h"
#include "runtime/float_runtime.h"
#include "runtime/memory_estimate.h"

#include <exception>
#include <limits>
#include <new>
#include <optional>

namespace bg {

namespace {

// A tensor into the range table and, when the diagnosis reads its channels, the channel table:
// one pass over its values either way.
void addTensor(RangeAccumulator& ranges, std::map<std::string, ChannelRanges>& channelRanges, const std::string& name,
               const Tensor& t)
{
    if (auto it = channelRanges.find(name); it != channelRanges.end())
        if (const std::optional<BlockStats> whole = it->second.add(t)) {
            ranges.addScanned(name, whole->min, whole->max, whole->nonFinite, t);
            return;
        }
    ranges.add(name, t);
}

void requireCalibrationMemory(const Graph& graph, const std::map<std::string, Tensor>& sample,
                              const ResourceLimits& limits)
{
    std::map<std::string, Shape> shapes;
    for (const auto& [name, t] : sample)
        shapes[name] = t.shape();
    const RunMemoryEstimate e = estimateRunMemory(graph, shapes);
    const int64_t cap = std::numeric_limits<int64_t>::max() / 4;
    requireMemory(graph, std::min(cap, e.constants + e.peakLive + e.kept), limits.memoryLimit(), "calibration");
}

RangeTable calibrateUnchecked(const Graph& graph, const FoldPairs& pairs, CalibrationSource& source,
                              const CalibrationOptions& options)
{
    const FloatRuntime runtime(graph);
    const size_t samples = source.count();
    if (samples == 0)
        throw Error(ErrorCode::BadInput, source.description(), "the calibration set holds no sample");
    // A graph without nodes (input wired to output) still reports one step per sample.
    const size_t perSample = graph.nodes.empty() ? 1 : graph.nodes.size();
    const size_t total = samples * perSample;

    RangeAccumulator ranges;
    std::map<std::string, ChannelRanges> channelRanges;
    for (const FoldPair& pair : pairs.pairs)
        channelRanges[pair.linearOutput];
    // Every tensor a Conv/ConvTranspose/Gemm group quantizes (its input and output; axis 1 is their
    // channel axis): the activation-range diagnosis reads their channels. A few doubles per channel.
    for (const FusionGroup& g : findFusionGroups(graph, pairs).groups)
        if (g.kind != LinearKind::MatMul) {
            channelRanges[g.input];
            channelRanges[g.groupOutput];
        }
    RunOptions run;
    run.kernels = options.kernels;
    run.cancel = options.cancel;
    run.limits = options.limits;
    run.onNodeDone = [&ranges, &channelRanges](const Node& node, const std::vector<Tensor>& outputs) {
        for (size_t o = 0; o < outputs.size() && o < node.outputs.size(); ++o)
            if (!node.outputs[o].empty())
                addTensor(ranges, channelRanges, node.outputs[o], outputs[o]);
    };
    for (size_t s = 0; s < samples; ++s) {
        if (options.cancel && options.cancel->load())
            throw Error(ErrorCode::Cancelled, graph.path, "calibration cancelled");
        const std::map<std::string, Tensor> inputs = source.sample(s);
        if (s == 0)
            requireCalibrationMemory(graph, inputs, options.limits);
        for (const ValueInfo& info : graph.inputs)
            if (auto it = inputs.find(info.name); it != inputs.end())
                addTensor(ranges, channelRanges, info.name, it->second);
        if (options.progress)
            run.progress = [&options, s, perSample, total](size_t done, size_t) {
                options.progress(s * perSample + done, total);
            };
        runtime.run(inputs, run);
        if (options.progress && graph.nodes.empty())
            options.progress(s + 1, total);
    }
    RangeTable table = ranges.table();
    for (const auto& [name, cr] : channelRanges) {
        auto it = table.find(name);
        if (it == table.end() || cr.empty())
            continue;
        it->second.channelMeanSquare = cr.channelMeanSquare();
        it->second.channelMin = cr.channelMin();
        it->second.channelMax = cr.channelMax();
    }
    return table;
}

} // namespace

RangeTable calibrate(const Graph& graph, const FoldPairs& pairs, CalibrationSource& source,
                     const CalibrationOptions& options)
{
    try {
        return calibrateUnchecked(graph, pairs, source, options);
    } catch (const Error& e) {
        throw inFile(e, graph.path);
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::TensorTooLarge, graph.path, "out of memory while calibrating");
    } catch (const std::exception& e) {
        throw Error(ErrorCode::InvalidModel, graph.path, std::string("calibration failed: ") + e.what());
    }
}

} // namespace bg
