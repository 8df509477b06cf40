#include "quantization/calibrator.h"

#include "model/error.h"
#include "quantization/calibration_ranges.h"
#include "runtime/float_runtime.h"

#include <exception>
#include <new>

namespace bg {

namespace {

RangeTable calibrateUnchecked(const Graph& graph, CalibrationSource& source, const CalibrationOptions& options)
{
    const FloatRuntime runtime(graph);
    const size_t samples = source.count();
    if (samples == 0)
        throw Error(ErrorCode::BadInput, source.description(), "the calibration set holds no sample");
    // A graph without nodes (input wired to output) still reports one step per sample.
    const size_t perSample = graph.nodes.empty() ? 1 : graph.nodes.size();
    const size_t total = samples * perSample;

    RangeAccumulator ranges;
    RunOptions run;
    run.kernels = options.kernels;
    run.cancel = options.cancel;
    run.onNodeDone = [&ranges](const Node& node, const std::vector<Tensor>& outputs) {
        for (size_t o = 0; o < outputs.size() && o < node.outputs.size(); ++o)
            if (!node.outputs[o].empty())
                ranges.add(node.outputs[o], outputs[o]);
    };
    for (size_t s = 0; s < samples; ++s) {
        if (options.cancel && options.cancel->load())
            throw Error(ErrorCode::Cancelled, graph.path, "calibration cancelled");
        const std::map<std::string, Tensor> inputs = source.sample(s);
        for (const ValueInfo& info : graph.inputs)
            if (auto it = inputs.find(info.name); it != inputs.end())
                ranges.add(info.name, it->second);
        if (options.progress)
            run.progress = [&options, s, perSample, total](size_t done, size_t) {
                options.progress(s * perSample + done, total);
            };
        runtime.run(inputs, run);
        if (options.progress && graph.nodes.empty())
            options.progress(s + 1, total);
    }
    return ranges.table();
}

} // namespace

RangeTable calibrate(const Graph& graph, CalibrationSource& source, const CalibrationOptions& options)
{
    try {
        return calibrateUnchecked(graph, source, options);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::TensorTooLarge, graph.path, "out of memory while calibrating");
    } catch (const std::exception& e) {
        throw Error(ErrorCode::InvalidModel, graph.path, std::string("calibration failed: ") + e.what());
    }
}

} // namespace bg
