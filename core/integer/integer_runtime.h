#pragma once
// The integer pipeline of QUANT_SPEC §4, §6, §7: fusion groups run in integers with the fix plan's
// per-channel strategies; every other float operator runs its reference float kernel on
// dequantized inputs and has its output quantized with the calibrated range (simulated
// quantization). Int64 tensors (shape arithmetic) are never quantized.
//
// Results are bit-for-bit reproducible: the integer kernels are exact and the float operators use
// the plain-loop reference kernels (no thread-count dependent reductions).
#include "analysis/fold_analysis.h"
#include "folding/fold_pair.h"
#include "folding/model_structure.h"
#include "arithmetic/quant_settings.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "io/resource_limits.h"
#include "model/graph.h"
#include "folding/fusion_group.h"
#include "integer/integer_run_memo.h"
#include "integer/elementwise_chain.h"
#include "integer/quantized_group.h"
#include "runtime/allocator_tuning.h"
#include "runtime/float_runtime.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace bg {

struct IntegerRunOptions {
    bool keepGroupOutputs = false;   // return every fusion-group output (dequantized) by tensor name
    // Return the codes of every tensor the run quantizes (quantizedTensors(): graph inputs, group and
    // float-operator outputs), by name: what a QDQ runtime's QuantizeLinear outputs are compared with.
    bool keepActivationCodes = false;
    // Codes that replace the run's own, by tensor name, after they are kept: each operator then reads
    // another runtime's inputs, and what it computes from them (kept) isolates its own arithmetic.
    const std::map<std::string, QuantActivation>* substituteCodes = nullptr;
    // Plain-loop integer convolution, and every float operator on its own instead of in an
    // element-wise chain (elementwise_chain.h): bit-identical, slower.
    bool referenceKernels = false;
    std::function<void(size_t, size_t)> progress;  // (steps done, steps total)
    const std::atomic<bool>* cancel = nullptr;
    // As RunOptions::limits: the tensors float nodes compute, and what the run holds at once.
    ResourceLimits limits;
    // Incremental re-runs (integer_run_memo.h). `record`: filled with every tensor this run stores and
    // each group's counters. `reuse` with `changedGroups` (IntegerRuntime::groupsChangedFrom, one flag
    // per fusion group): a memo recorded on the same inputs by a runtime of the same model; a node is
    // recomputed only when it is a changed group or reads a recomputed tensor, every other node's
    // outputs are read from the memo. The result is bit-identical to a full run.
    IntegerRunMemo* record = nullptr;
    const IntegerRunMemo* reuse = nullptr;
    const std::vector<bool>* changedGroups = nullptr;
};

struct IntegerRunStats {
    int64_t accumulatorOverflows = 0;  // elements whose 32-bit accumulator overflowed (saturated)
    int64_t saturatedBiases = 0;       // channels with a bias part saturated to n_b bits (static)
    std::map<Strategy, int64_t> channelsPerStrategy;  // channels of folded (BN) groups, resolved
    std::map<Strategy, int64_t> unfoldedPerStrategy;  // channels of groups without a BN (clamp/separate/widen)
    int64_t unfoldedChannels() const
    {
        int64_t n = 0;
        for (const auto& [strategy, count] : unfoldedPerStrategy)
            n += count;
        return n;
    }
    int64_t groups = 0;
    int64_t foldedGroups = 0;
    int64_t floatNodes = 0;            // operators run in float with simulated quantization
    int64_t chainedNodes = 0;          // of those, the ones a run evaluated in element-wise chains
    int64_t chainsInRequantization = 0;  // chains a run applied inside their group's requantization
    int64_t channelsLastOutputs = 0;     // group outputs written channels-last for the convolutions reading them
    int64_t operatorsOnCodes = 0;        // float operators a run computed from their input's codes
    // Group runs per integer kernel path (a run: one group on one input). A user seeing a slow
    // run reads here whether the plain-loop reference ran; tests assert the fast path did.
    std::map<IntKernelPath, int64_t> kernelPaths;
};

struct IntegerRunResult {
    TensorMap outputs;        // graph outputs, dequantized
    TensorMap groupOutputs;   // with keepGroupOutputs: dequantized output of every group
    std::map<std::string, QuantActivation> activationCodes;  // with keepActivationCodes
    IntegerRunStats stats;
};

class IntegerRuntime {
public:
    // Quantizes every group's weights and biases with the plan, at the settings of `analysis`, the
    // fold analysis of `model` over `ranges` (Auto resolved per channel from it): the runtime reads
    // that derivation and the model's pairs and groups, it finds none of them again. `model` and
    // `analysis` are referenced and must outlive the runtime; the ranges are copied. Throws
    // bg::Error: UnsupportedOp, MissingTensor (a range is missing: calibrate the same model first),
    // InvalidModel (an analysis of another model).
    IntegerRuntime(const ModelStructure& model, const RangeTable& ranges, const FoldAnalysis& analysis,
                   const FixPlan& plan);

    IntegerRunResult run(const TensorMap& inputs, const IntegerRunOptions& options = {}) const;

    const Graph& graph() const { return graph_; }
    const FoldPairs& foldPairs() const { return pairs_; }
    const FoldAnalysis& analysis() const { return analysis_; }
    const FusionGroups& groups() const { return groups_; }
    const std::vector<QuantizedGroup>& quantizedGroups() const { return quantized_; }
    // Statistics known before running (everything except accumulator overflows).
    const IntegerRunStats& staticStats() const { return static_; }
    // Quantization parameters of a quantized tensor (graph input, group output, float-op output).
    ActivationQuant activationQuant(const std::string& tensor) const;
    const QuantSettings& settings() const { return settings_; }
    const RangeTable& ranges() const { return ranges_; }
    // Per fusion group: whether this runtime's quantization of it differs from `other`'s (a runtime of
    // the same model, e.g. under the plan before one channel's strategy changed); all true when the
    // two are of different models or differ in the activation width or the arithmetic (which also
    // change the float operators' quantization: such a pair must not share a memo).
    std::vector<bool> groupsChangedFrom(const IntegerRuntime& other) const;
    // Every tensor a run quantizes with activationQuant (the float graph inputs, each group's output,
    // each float operator's float outputs; not the tensors only operator parameters read), in name
    // order: the activations the encodings and the QDQ exports list.
    std::vector<std::string> quantizedTensors() const;
    // The calibrated range activationQuant(tensor) derives from (throws as activationQuant).
    const TensorRange& range(const std::string& tensor) const;

private:
    struct RunState;  // integer_runtime.cpp: the live tensors of one run
    void prepare(const FixPlan& plan);
    IntegerRunResult runGraph(const TensorMap& inputs, const IntegerRunOptions& options) const;
    RunState startRun(const TensorMap& inputs, const IntegerRunOptions& options,
                      std::map<std::string, QuantActivation>* keptCodes) const;
    void runGroup(size_t gi, const Node& node, RunState& state, const IntegerRunOptions& options,
                  IntegerRunResult& result) const;
    void runFloatNode(size_t n, const Node& node, RunState& state, const IntegerRunOptions& options) const;
    // The onnxruntime arithmetic's Mul that ONNX Runtime runs as QLinearMul (ort_qlinear_mul.h);
    // false when the node is not one, and nothing was done.
    bool runQLinearMulOrt(const Node& node, RunState& state) const;
    // A float operator from its input's codes, with the float operator's bits but without the
    // input's float values: a GlobalAveragePool (integer/global_average_pool_codes.h) or an
    // operator of one element (integer/code_table_operator.h). False where neither applies.
    bool runFloatNodeOnCodes(size_t n, const Node& node, RunState& state, IntegerRunResult& result) const;
    // The nodes of chain `ci` block by block (or one at a time when its operands do not fit), as
    // runFloatNode would run each of them.
    void runChain(size_t ci, RunState& state, const IntegerRunOptions& options, IntegerRunResult& result) const;
    // Incremental re-run: whether node n must be recomputed (options.reuse set).
    bool mustRecompute(size_t n, const RunState& state, const IntegerRunOptions& options) const;
    void reuseNode(size_t n, const Node& node, RunState& state, const IntegerRunOptions& options,
                   IntegerRunResult& result) const;

    const Graph& graph_;
    const FoldPairs& pairs_;
    const FusionGroups& groups_;
    const FoldAnalysis& analysis_;
    RangeTable ranges_;
    QuantSettings settings_;
    std::vector<QuantizedGroup> quantized_;
    std::vector<const OpDef*> defs_;   // per node (nullptr for nodes run inside a group)
    std::vector<int> groupOfNode_;     // per node: group index if the node is L of a group, else -1
    std::vector<bool> insideGroup_;    // per node: N or activation of a group (not run on its own)
    std::set<std::string> unquantized_;  // float tensors used only as operator parameters
    std::vector<ElementwiseChain> chains_;
    std::vector<int> chainOfNode_;     // per node: the chain it is a stage of, else -1
    // Per group: the element-wise chain that only its output feeds and of which only one stage's
    // codes are read after it, as the code table that gives that stage's codes from the group's
    // (chainCodeTable); a run that writes out only what later nodes read applies it inside the
    // group's requantization, and the chain's own pass over the tensor is not needed.
    struct FusedChain {
        int chain = -1;
        size_t stage = 0;
        std::vector<uint8_t> table;
        bool perChannel = false;
    };
    std::vector<FusedChain> fusedChain_;
    // Tensors a group writes (its output, or its fused chain's stage) that only fast Conv groups
    // read: a run that fuses chains writes their codes channels-last, the layout those read.
    std::set<std::string> channelsLastReaders_;
    void planFusedChains();
    // §4's quantization of each stage's output (none: an operator parameter, kept in float).
    std::vector<std::optional<ActivationQuant>> stageQuant(const ElementwiseChain& chain) const;
    // A chain a group's requantization applied: its nodes' reads released, counted as chained.
    void skipFusedChain(size_t ci, RunState& state, IntegerRunResult& result) const;
    IntegerRunStats static_;
    // While the runtime exists, multi-MB buffers are reused from the heap rather than mmap'ed per
    // call: a run of the detector allocated its 20 MB ConvTranspose sums, its split codes and its
    // accumulators afresh for every run and sample, and faulted their pages in again (a tenth of
    // a single-thread integer run in the kernel). Shared: copies of a runtime hold the same scope.
    std::shared_ptr<const LargeTensorReuseScope> reuseLargeTensors_ = std::make_shared<const LargeTensorReuseScope>();
};

} // namespace bg
