#pragma once
// What an operator kernel sees: its node, its inputs (nullptr for omitted optional ones) and the
// model's opset. Kernels return their outputs; they never see the rest of the graph.
#include "io/error.h"
#include "model/node.h"
#include "model/tensor.h"
#include "runtime/kernels/conv_post_op.h"

#include <cstdint>
#include <vector>

namespace bg {

// Which path the fast float kernels took, counted over a run (or one node). A fast kernel hands a
// configuration oneDNN refuses to the reference loops; without these counts a fast-vs-reference
// test of such a configuration would compare the reference with itself. Reference kernels count
// nothing. Two integers: cheap enough to pass on every run.
struct FloatKernelPaths {
    int64_t fast = 0;      // nodes a fast kernel computed on its fast path (oneDNN, folded BatchNormalization)
    int64_t fallback = 0;  // nodes a fast kernel computed with the reference loops instead
    int64_t fused = 0;     // activations run inside the Conv before them (counted besides that Conv)
};

struct KernelContext {
    const Node& node;
    std::vector<const Tensor*> inputs;
    int64_t opset = 0;
    FloatKernelPaths* paths = nullptr;  // where a fast kernel reports its path; nullptr: nobody asks
    // Largest tensor a kernel may create from a shape it computes (ResourceLimits::maxTensorElements).
    int64_t maxElements = int64_t{1} << 28;
    // Set by the float runtime on a Conv whose only reader is this activation (runtime/conv_fusion.h):
    // the kernel returns act(conv(x)) and the activation node does not run.
    const ConvPostOp* fusedActivation = nullptr;

    size_t numInputs() const { return inputs.size(); }
    bool has(size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
    // Input i; throws bg::Error(InvalidModel) naming the node when it is missing.
    const Tensor& in(size_t i) const;
    const Tensor* optIn(size_t i) const { return has(i) ? inputs[i] : nullptr; }

    // Convenience for kernel errors: bg::Error(ShapeMismatch/BadAttribute...) about this node.
    // A fast kernel's report: the fast path ran (true) or it fell back to the reference loops.
    void tookFastPath(bool fast) const
    {
        if (paths)
            ++(fast ? paths->fast : paths->fallback);
    }

    [[noreturn]] void fail(ErrorCode code, const std::string& problem) const;
};

} // namespace bg
