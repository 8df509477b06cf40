#include "calibration/calibrator.h"

#include "io/error.h"
#include "calibration/calibration_ranges.h"
#include "calibration/channel_ranges.h"
#include "folding/fusion_group.h"
#include "runtime/allocator_tuning.h"
#include "runtime/float_runtime.h"
#include "runtime/memory_estimate.h"

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <omp.h>
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

// How many samples run at once (each on threads / that many OpenMP threads): as many as there are
// threads and samples, and as fit the memory limit beside each other. Throws when not even one fits.
size_t concurrentSamples(const Graph& graph, const std::map<std::string, Tensor>& sample, const ResourceLimits& limits,
                         size_t samples, int threads)
{
    std::map<std::string, Shape> shapes;
    for (const auto& [name, t] : sample)
        shapes[name] = t.shape();
    const RunMemoryEstimate e = estimateRunMemory(graph, shapes);
    const int64_t cap = std::numeric_limits<int64_t>::max() / 4;
    const int64_t perRun = std::min(cap, e.peakLive + e.kept);
    requireMemory(graph, std::min(cap, e.constants + perRun), limits.memoryLimit(), "calibration");
    size_t n = std::min(samples, static_cast<size_t>(std::max(1, threads)));
    while (n > 1 && e.constants + static_cast<int64_t>(n) * perRun > limits.memoryLimit())
        --n;
    return n;
}

// One sample's ranges. Every sample is gathered on its own and merged into the total in sample
// order, so the table does not depend on how many samples ran at once.
struct SampleStats {
    RangeAccumulator ranges;
    std::map<std::string, ChannelRanges> channels;
};

RangeTable calibrateUnchecked(const Graph& graph, const FoldPairs& pairs, CalibrationSource& source,
                              const CalibrationOptions& options)
{
    const FloatRuntime runtime(graph);
    const LargeTensorReuseScope reuse;  // samples run side by side: their big maps reused, not faulted in
    const size_t samples = source.count();
    if (samples == 0)
        throw Error(ErrorCode::BadInput, source.description(), "the calibration set holds no sample");
    // A graph without nodes (input wired to output) still reports one step per sample.
    const size_t perSample = graph.nodes.empty() ? 1 : graph.nodes.size();
    const size_t total = samples * perSample;

    std::map<std::string, ChannelRanges> channelTemplate;
    for (const FoldPair& pair : pairs.pairs)
        channelTemplate[pair.linearOutput];
    // Every tensor a Conv/ConvTranspose/Gemm group quantizes (its input and output; axis 1 is their
    // channel axis): the activation-range diagnosis reads their channels. A few doubles per channel.
    for (const FusionGroup& g : findFusionGroups(graph, pairs).groups)
        if (g.kind != LinearKind::MatMul) {
            channelTemplate[g.input];
            channelTemplate[g.groupOutput];
        }

    if (options.cancel && options.cancel->load())
        throw Error(ErrorCode::Cancelled, graph.path, "calibration cancelled");
    std::map<std::string, Tensor> first = source.sample(0);
    const int threads = omp_get_max_threads();
    // On a 2-core machine one detector run leaves the second thread idle a fifth of the time (small
    // layers, serial range scans); two single-threaded samples at once keep both busy.
    const size_t workers = concurrentSamples(graph, first, options.limits, samples, threads);
    const int threadsPerRun = std::max(1, threads / static_cast<int>(workers));

    std::mutex sourceMutex, mergeMutex;
    size_t nextSample = 0;       // the next sample to read (under sourceMutex)
    bool stop = false;           // an error or a cancel: take no further sample (under sourceMutex)
    size_t merged = 0;           // samples merged into `all` (under mergeMutex)
    size_t stepsDone = 0;        // progress steps of all runs (under mergeMutex)
    std::vector<std::optional<SampleStats>> finished(samples);
    std::vector<std::exception_ptr> errors(samples);
    SampleStats all{RangeAccumulator{}, channelTemplate};

    auto step = [&](size_t steps) {
        if (!options.progress)
            return;
        const std::lock_guard<std::mutex> lock(mergeMutex);
        stepsDone += steps;
        options.progress(stepsDone, total);
    };
    auto runSamples = [&] {
        omp_set_num_threads(threadsPerRun);  // this thread's team: oneDNN and the loops read it
        for (;;) {
            size_t s = 0;
            std::map<std::string, Tensor> inputs;
            {
                const std::lock_guard<std::mutex> lock(sourceMutex);
                if (stop || nextSample == samples)
                    return;
                s = nextSample++;
                try {
                    if (options.cancel && options.cancel->load())
                        throw Error(ErrorCode::Cancelled, graph.path, "calibration cancelled");
                    inputs = s == 0 ? std::move(first) : source.sample(s);
                } catch (...) {
                    errors[s] = std::current_exception();
                    stop = true;
                    return;
                }
            }
            try {
                SampleStats stats{RangeAccumulator{}, channelTemplate};
                for (const ValueInfo& info : graph.inputs)
                    if (auto it = inputs.find(info.name); it != inputs.end())
                        addTensor(stats.ranges, stats.channels, info.name, it->second);
                RunOptions run;
                run.kernels = options.kernels;
                run.cancel = options.cancel;
                run.limits = options.limits;
                run.onNodeDone = [&stats](const Node& node, const std::vector<Tensor>& outputs) {
                    for (size_t o = 0; o < outputs.size() && o < node.outputs.size(); ++o)
                        if (!node.outputs[o].empty())
                            addTensor(stats.ranges, stats.channels, node.outputs[o], outputs[o]);
                };
                size_t reported = 0;
                if (options.progress)
                    run.progress = [&](size_t done, size_t) {
                        step(done - reported);
                        reported = done;
                    };
                runtime.run(inputs, run);
                if (graph.nodes.empty())
                    step(1);
                const std::lock_guard<std::mutex> lock(mergeMutex);
                finished[s] = std::move(stats);
                for (; merged < samples && finished[merged]; ++merged) {
                    all.ranges.merge(finished[merged]->ranges);
                    for (auto& [name, cr] : finished[merged]->channels)
                        all.channels[name].merge(cr);
                    finished[merged].reset();
                }
            } catch (...) {
                const std::lock_guard<std::mutex> lock(sourceMutex);
                errors[s] = std::current_exception();
                stop = true;
                return;
            }
        }
    };
    std::vector<std::thread> helpers;
    for (size_t w = 1; w < workers; ++w)
        helpers.emplace_back(runSamples);
    runSamples();
    for (std::thread& t : helpers)
        t.join();
    omp_set_num_threads(threads);  // the calling thread's team, which runSamples changed
    // The first sample's error in sample order: the same message whatever ran at once.
    for (const std::exception_ptr& e : errors)
        if (e)
            std::rethrow_exception(e);

    RangeTable table = all.ranges.table();
    for (const auto& [name, cr] : all.channels) {
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
