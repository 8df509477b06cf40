#include "calibration/calibrator.h"

#include "io/error.h"
#include "calibration/calibration_ranges.h"
#include "folding/fusion_group.h"
#include "runtime/float_runtime.h"
#include "runtime/memory_estimate.h"
#include "runtime/kernels/parallel_ranges.h"

#include <cmath>
#include <exception>
#include <limits>
#include <new>
#include <set>

namespace bg {

namespace {

// Per-channel (axis 1) min/max of the finite values of a rank >= 2 float tensor, merged over samples.
struct ChannelRanges {
    std::vector<double> min, max, sumSquares;
    std::vector<int64_t> counts;
    void add(const Tensor& t)
    {
        if (!t.isFloat() || t.rank() < 2 || t.numel() == 0)
            return;
        const auto channels = static_cast<size_t>(t.dim(1));
        const int64_t inner = t.numel() / (t.dim(0) * t.dim(1));
        if (min.empty()) {
            min.assign(channels, std::numeric_limits<double>::infinity());
            max.assign(channels, -std::numeric_limits<double>::infinity());
            sumSquares.assign(channels, 0.0);
            counts.assign(channels, 0);
        }
        if (min.size() != channels)
            return;  // a shape change between samples: keep the first shape's channels
        const auto v = t.floats();
        // One contiguous block per (sample row, channel), summed in double: a channel of 10^6 values
        // keeps its power to ~1e-10 relative. Channels are independent, so they are split across
        // threads; each channel's sum runs in the same order as on one thread.
        for (int64_t n = 0; n < t.dim(0); ++n)
            parallelRanges(static_cast<int64_t>(channels), inner, [&](int64_t c0, int64_t c1) {
                for (auto c = static_cast<size_t>(c0); c < static_cast<size_t>(c1); ++c) {
                    const float* block = v.data() + (static_cast<size_t>(n) * channels + c) * static_cast<size_t>(inner);
                    double lo = min[c], hi = max[c], sq = 0.0;
                    int64_t finite = 0;
                    for (int64_t k = 0; k < inner; ++k) {
                        const double x = block[k];
                        if (!std::isfinite(x))
                            continue;
                        lo = std::min(lo, x);
                        hi = std::max(hi, x);
                        sq += x * x;
                        ++finite;
                    }
                    min[c] = lo;
                    max[c] = hi;
                    sumSquares[c] += sq;
                    counts[c] += finite;
                }
            });
    }
};

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
        for (size_t o = 0; o < outputs.size() && o < node.outputs.size(); ++o) {
            if (node.outputs[o].empty())
                continue;
            ranges.add(node.outputs[o], outputs[o]);
            if (auto it = channelRanges.find(node.outputs[o]); it != channelRanges.end())
                it->second.add(outputs[o]);
        }
    };
    for (size_t s = 0; s < samples; ++s) {
        if (options.cancel && options.cancel->load())
            throw Error(ErrorCode::Cancelled, graph.path, "calibration cancelled");
        const std::map<std::string, Tensor> inputs = source.sample(s);
        if (s == 0)
            requireCalibrationMemory(graph, inputs, options.limits);
        for (const ValueInfo& info : graph.inputs)
            if (auto it = inputs.find(info.name); it != inputs.end()) {
                ranges.add(info.name, it->second);
                if (auto cr = channelRanges.find(info.name); cr != channelRanges.end())
                    cr->second.add(it->second);
            }
        if (options.progress)
            run.progress = [&options, s, perSample, total](size_t done, size_t) {
                options.progress(s * perSample + done, total);
            };
        runtime.run(inputs, run);
        if (options.progress && graph.nodes.empty())
            options.progress(s + 1, total);
    }
    RangeTable table = ranges.table();
    for (auto& [name, cr] : channelRanges) {
        auto it = table.find(name);
        if (it == table.end() || cr.min.empty())
            continue;
        std::vector<double> meanSquare(cr.min.size(), 0.0);
        for (size_t c = 0; c < cr.min.size(); ++c) {
            if (cr.min[c] > cr.max[c])  // no finite value in this channel
                cr.min[c] = cr.max[c] = 0.0;
            if (cr.counts[c] > 0)
                meanSquare[c] = cr.sumSquares[c] / static_cast<double>(cr.counts[c]);
        }
        it->second.channelMeanSquare = std::move(meanSquare);
        it->second.channelMin = std::move(cr.min);
        it->second.channelMax = std::move(cr.max);
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
