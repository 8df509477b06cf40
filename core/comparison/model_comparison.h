#pragma once
// QUANT_SPEC §8 over a whole input set: the float model (reference), the integer pipeline with every
// channel on the naive fold ("quantized", strategy clamp) and the integer pipeline with the fix plan
// ("fixed"). Metrics per graph output and per fusion-group output (the dequantized group output
// against the float tensor of the same name), the channels that differ most per layer, and the
// Polygraphy-style atol/rtol check per output.
#include "comparison/comparison_metrics.h"
#include "comparison/float_reference_cache.h"
#include "comparison/metric_accumulator.h"
#include "comparison/task_accuracy.h"
#include "comparison/first_collapse.h"
#include "analysis/activation_diagnosis.h"
#include "arithmetic/quant_settings.h"
#include "analysis/fold_analysis.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "io/resource_limits.h"
#include "folding/model_structure.h"
#include "calibration/calibration_source.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bg {

struct ComparisonOptions {
    FixPlan plan;                 // the "fixed" run; FixPlan(Strategy::Auto) = auto everywhere
    bool perLayer = true;
    // Also run an "exact bias" reference: every channel separate with two 32-bit bias registers, so
    // every bias is held (within half an output step) and no weight scale is widened — what a bias
    // fix can reach. A fixed run near it recovered what the register cost; a clamp run above it is
    // right by accident (the output SQNR of a few samples moves by a dB or two with any change).
    bool exactBiasReference = true;
    size_t worstChannels = 5;
    std::optional<double> atol;   // both set: the tolerance check runs
    std::optional<double> rtol;
    // A labelled input set (--labels): one class index per sample; the first rank-2 output gets the
    // task accuracy of the float model and of each integer run.
    std::optional<ClassLabels> labels;
    // Several comparisons over one input set (a sweep, the sensitivity): the float side is computed
    // by the first that gets this cache and read by the next ones (the inputs must be the same).
    FloatReferenceCache* floatReference = nullptr;
    std::function<void(size_t, size_t)> progress;  // (samples done, samples total)
    const std::atomic<bool>* cancel = nullptr;
    // The runtimes' tensor limits; before the first sample runs, the estimated memory of all the
    // runs together (their kept tensors are alive at once) must fit limits.memoryLimit().
    ResourceLimits limits;
};

struct OutputComparison {
    std::string name;
    ComparisonMetrics quantized;
    ComparisonMetrics fixed;
    std::optional<ComparisonMetrics> exactBias;  // with exactBiasReference
    // With atol and rtol: elements failing both tolerances, over every sample.
    std::optional<int64_t> failedQuantized;
    std::optional<int64_t> failedFixed;
    std::optional<TaskAccuracy> accuracy;  // with labels, on the scored output only
};

struct LayerComparison {
    std::string name;      // L's display name
    std::string op;
    std::string tensor;    // the fusion-group output compared
    bool folded = false;   // the group has a BN
    double outputScale = 1.0;     // s_y (rmse_over_scale divides by it)
    int64_t outOfRange = 0;       // channels whose naive merged bias is out of range (§5)
    int64_t changedChannels = 0;  // channels whose fixed strategy is not the naive fold
    ComparisonMetrics quantized;  // propagated: each run feeds its own upstream outputs
    ComparisonMetrics fixed;
    std::optional<ComparisonMetrics> exactBias;  // propagated, the exact-bias reference run
    // Isolated: the group alone, fed the float model's own input to it (quantized), so upstream
    // differences cancel out: a layer whose quantization the plan does not change compares EQUAL.
    ComparisonMetrics isolatedQuantized;
    ComparisonMetrics isolatedFixed;
    std::vector<ChannelError> worstQuantized;
    std::vector<ChannelError> worstFixed;
};

struct ModelComparison {
    QuantSettings settings;
    std::string inputs;           // description of the input set
    size_t samples = 0;
    std::vector<OutputComparison> outputs;   // graph order
    std::vector<LayerComparison> layers;     // graph order of L
    int64_t overflowQuantized = 0;           // accumulator overflows over every sample
    int64_t overflowFixed = 0;
    int64_t saturatedBiasesQuantized = 0;
    int64_t saturatedBiasesFixed = 0;
    std::map<Strategy, int64_t> planCounts;  // channels per strategy of the fixed run (resolved)
    std::map<Strategy, int64_t> unfoldedCounts;  // channels of layers without BN, per strategy
    int64_t unfoldedChannels = 0;
    // Where else the pipeline loses (issue 13): each quantized tensor's shared scale against its
    // channels' ranges (from the RangeTable, worst first) and, per layer, the first collapse of the
    // propagated SQNR (with perLayer only).
    std::vector<TensorRangeDiagnosis> activationDiagnosis;
    std::optional<FirstCollapse> firstCollapse;
};

// Compares at the settings of `analysis` (the fold analysis of `model` over `ranges`), which the
// clamp and the fixed runs both read; only the exact-bias reference derives its own (32-bit
// registers). Throws bg::Error (the source's errors naming the bad file, the runtimes' errors,
// Cancelled).
ModelComparison compareModel(const ModelStructure& model, const RangeTable& ranges, const FoldAnalysis& analysis,
                             CalibrationSource& inputs, const ComparisonOptions& options);

} // namespace bg
