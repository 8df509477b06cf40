#pragma once
// Executes a Graph in float32: the reference every integer result is compared with. Tensors are
// released after their last consumer unless the caller asks to keep them (calibration and
// per-layer diffs need intermediate tensors by name).
#include "io/resource_limits.h"
#include "model/graph.h"
#include "runtime/conv_fusion.h"
#include "runtime/node_memo.h"
#include "runtime/op_registry.h"

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

namespace bg {

using TensorMap = std::map<std::string, Tensor>;

struct RunOptions {
    KernelChoice kernels = KernelChoice::Fast;
    std::set<std::string> keep;  // intermediate tensors to return besides the graph outputs
    bool keepAll = false;
    // Called after each node with its outputs (calibration observes every tensor this way).
    std::function<void(const Node&, const std::vector<Tensor>& outputs)> onNodeDone;
    // `cancel` is polled between nodes; a set flag ends the run with bg::Error(Cancelled).
    std::function<void(size_t, size_t)> progress;  // (nodes done, nodes total)
    const std::atomic<bool>* cancel = nullptr;
    // When set, the fast kernels count the path they took here (owned by the caller, one per run).
    FloatKernelPaths* paths = nullptr;
    // maxTensorElements bounds every tensor a kernel computes; the tensors the run holds at once
    // (inputs, live activations, kept ones) are bounded by limits.memoryLimit().
    ResourceLimits limits;
    // The fast path runs the chain of operators after a Conv inside the Conv (fusion). Off: every node
    // runs on its own (the tests compare the two).
    bool fuse = true;
    // With fusion, a tensor only Convs read stays in oneDNN's layout between them (ConvHandoff).
    bool handoff = true;
};

class FloatRuntime {
public:
    // Throws bg::Error(UnsupportedOp) listing every unsupported op and node. `graph` must outlive
    // the runtime unchanged: its kernels, fusions, tensor slots and constants are taken once here.
    explicit FloatRuntime(const Graph& graph);
    ~FloatRuntime();
    FloatRuntime(const FloatRuntime&) = delete;  // one owner of the weight cache's entries
    FloatRuntime& operator=(const FloatRuntime&) = delete;

    // Inputs by name; every non-constant graph input must be given with a matching dtype, rank
    // and static dims (symbolic dims take the given size). Returns graph outputs plus kept tensors.
    TensorMap run(const TensorMap& inputs, const RunOptions& options = {}) const;
    // The same, taking the inputs: each is freed after its last reader, like any other tensor (a
    // single run that needs its inputs no longer: the detector's 4.9 MB input is gone after its
    // first Conv). Inputs that are graph outputs are returned.
    TensorMap run(TensorMap&& inputs, const RunOptions& options = {}) const;

    const Graph& graph() const { return graph_; }

    // Checks one input against the graph's declaration; throws bg::Error(BadInput).
    static void checkInput(const Graph& graph, const ValueInfo& info, const Tensor& tensor);

private:
    // `owned`: the caller's inputs, which the run may move into its live tensors (run(TensorMap&&)).
    TensorMap runGraph(const TensorMap& inputs, const RunOptions& options, TensorMap* owned = nullptr) const;
    const Graph& graph_;
    std::vector<const OpDef*> defs_;  // per node
    // Per node: the activation a Conv runs as its post-op on the fast path (runtime/conv_fusion.h),
    // used by a run that observes no intermediate tensor (no onNodeDone, keepAll or kept Conv output).
    std::vector<std::optional<ConvFusion>> fusions_;
    // Tensors whose every reader can take them in oneDNN's layout (a Conv as its data input,
    // GlobalAveragePool, Add, Mul: readsHanded) and that are no graph output: what a fusing run may
    // keep in that layout.
    std::set<std::string> handedOnly_;

    // Every tensor a run meets, numbered once here, so that a run keeps its live tensors and read
    // counts in vectors: string-keyed maps cost the classifier a tenth of its run in hashing.
    std::unordered_map<std::string, size_t> slotOf_;
    struct NodeInput {
        const Tensor* constant = nullptr;  // the graph's constant of that name
        size_t slot = 0;
        bool empty = false;  // an omitted optional input
    };
    std::vector<std::vector<NodeInput>> nodeInputs_;      // per node, per input
    std::vector<std::vector<size_t>> nodeOutputSlots_;    // per node, per output (empty names too)
    std::vector<size_t> fusionOutputSlot_;                // per node with a fusion: its output's slot
    std::vector<size_t> readCounts_;                      // per slot: node inputs naming it
    std::vector<char> graphOutputSlot_, handedOnlySlot_;  // per slot
    size_t slotFor(const std::string& name);
    // This runtime's token for the oneDNN weight cache (ConvHandoff::weightsOwner): never reused.
    uint64_t weightsOwner_ = 0;
    // Per node: what its kernel derived from its shapes in an earlier run (runtime/node_memo.h),
    // filled by the runs (hence mutable; each slot locks itself).
    std::unique_ptr<NodeMemo[]> memos_;
};

// Executes one node with the registry's kernel; wraps kernel errors with the node's name. `dying`
// (KernelContext::dying): inputs whose storage the kernel may take, because this node reads them last.
std::vector<Tensor> runNode(const OpDef& def, const Node& node, const std::vector<const Tensor*>& inputs,
                            int64_t opset, KernelChoice choice, FloatKernelPaths* paths = nullptr,
                            int64_t maxElements = ResourceLimits{}.maxTensorElements,
                            const ConvPostOps* fused = nullptr, std::vector<Tensor*> dying = {},
                            ConvHandoff* handoff = nullptr);

// Names of unsupported op types in the graph ("Foo (node 'n1'), Bar (node 'n7')"), empty if none.
std::string unsupportedOps(const Graph& graph);

} // namespace bg
