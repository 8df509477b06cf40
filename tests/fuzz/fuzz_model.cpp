// The fuzz target "model": a hostile .onnx through everything BiasGuard does with a model.
#include "fuzz_targets.h"

#include "analysis/fold_analysis.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "integer/integer_runtime.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"

namespace bgfuzz {

namespace {

// Small limits: a fuzz input must not be able to make one execution slow or large, or libFuzzer
// reports timeouts and out-of-memory instead of bugs. The same limits are what a user can set.
bg::ResourceLimits fuzzLimits()
{
    bg::ResourceLimits limits;
    limits.maxTensorBytes = int64_t{1} << 20;
    limits.maxTensorElements = int64_t{1} << 16;
    limits.maxNodes = 64;
    limits.maxMemoryBytes = int64_t{256} << 20;
    return limits;
}

} // namespace

void fuzzModel(const uint8_t* data, size_t size)
{
    const bg::ResourceLimits limits = fuzzLimits();
    try {
        bg::LoadOptions load;
        load.limits = limits;
        const auto model = bg::makeModelStructure(bg::loadModelFromBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", load));
        const bg::Graph& graph = model->graph;
        bg::SyntheticShapeOptions shapes;
        shapes.otherDim = 4;
        shapes.maxElements = 1024;
        bg::SyntheticCalibrationSource source(graph, shapes, 1);
        bg::CalibrationOptions calib;
        calib.limits = limits;
        const bg::RangeTable ranges = bg::calibrate(graph, model->pairs, source, calib);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, model->pairs, bg::QuantSettings{}, ranges);
        const bg::TensorMap inputs = source.sample(0);
        bg::RunOptions run;
        run.kernels = bg::KernelChoice::Reference;
        run.limits = limits;
        bg::FloatRuntime(graph).run(inputs, run);
        const bg::IntegerRuntime integer(*model, ranges, analysis, bg::FixPlan(bg::Strategy::Auto));
        bg::IntegerRunOptions intRun;
        intRun.limits = limits;
        integer.run(inputs, intRun);
    } catch (const bg::Error&) {
    }
}

} // namespace bgfuzz
