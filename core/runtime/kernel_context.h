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

struct ConvHandoff;  // runtime/kernels/dnnl_conv.h

// Which path the fast float kernels took, counted over a run (or one node). A fast kernel hands a
// configuration oneDNN refuses to the reference loops; without these counts a fast-vs-reference
// test of such a configuration would compare the reference with itself. Reference kernels count
// nothing. Two integers: cheap enough to pass on every run.
struct FloatKernelPaths {
    int64_t fast = 0;      // nodes a fast kernel computed on its fast path (oneDNN, folded BatchNormalization)
    int64_t fallback = 0;  // nodes a fast kernel computed with the reference loops instead
    int64_t fused = 0;     // activations run inside the Conv before them (counted besides that Conv)
    int64_t handed = 0;    // tensors left in oneDNN's layout for the Convs reading them (ConvHandoff)
    int64_t readHanded = 0;  // GlobalAveragePool/Add/Mul nodes run on a tensor in oneDNN's layout (dnnl_handed_ops.h)
    int64_t unhanded = 0;    // tensors in oneDNN's layout reordered to NCHW for a reader that could not take them
};

struct KernelContext {
    const Node& node;
    std::vector<const Tensor*> inputs;
    int64_t opset = 0;
    FloatKernelPaths* paths = nullptr;  // where a fast kernel reports its path; nullptr: nobody asks
    // Largest tensor a kernel may create from a shape it computes (ResourceLimits::maxTensorElements).
    int64_t maxElements = int64_t{1} << 28;
    // Set by the float runtime on a Conv followed by a chain of operators it can run inside itself
    // (runtime/conv_fusion.h): the kernel returns ops(conv(x)) and those nodes do not run.
    const ConvPostOps* fusedPostOps = nullptr;
    // Inputs this node is the last reader of, by input index (empty, or one entry per input; nullptr:
    // still read later, a constant, or kept). The runtime hands their storage over so that an
    // element-wise kernel can write its result in place instead of allocating, zero-filling and
    // copying a tensor the size of its input (RunOptions::reuseInputs).
    std::vector<Tensor*> dying{};
    // A Conv's input and/or output in oneDNN's layout (fast path only; see ConvHandoff). With an
    // input handed over, input 0 is nullptr. Other kernels never get one.
    ConvHandoff* handoff = nullptr;

    size_t numInputs() const { return inputs.size(); }
    bool has(size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
    // Input i; throws bg::Error(InvalidModel) naming the node when it is missing.
    const Tensor& in(size_t i) const;
    const Tensor* optIn(size_t i) const { return has(i) ? inputs[i] : nullptr; }
    // Input i's storage when this node is its last reader, else nullptr. A kernel that moves from
    // it must not read in(i) afterwards.
    Tensor* takeable(size_t i) const { return i < dying.size() ? dying[i] : nullptr; }
    // Input i itself when this node is its last reader, else a copy of it: the start of a result
    // computed in place.
    Tensor takeOrCopy(size_t i) const;
    // The same for the input `x` refers to (by address; nullptr / a copy when x is not a dying input).
    Tensor* takeableOf(const Tensor& x) const;
    Tensor takeOrCopyOf(const Tensor& x) const;

    // Convenience for kernel errors: bg::Error(ShapeMismatch/BadAttribute...) about this node.
    // A fast kernel's report: the fast path ran (true) or it fell back to the reference loops.
    void tookFastPath(bool fast) const
    {
        if (paths)
            ++(fast ? paths->fast : paths->fallback);
    }

    [[noreturn]] void fail(ErrorCode code, const std::string& problem) const;
};

// A kernel's outputs, moved into the vector. (`return {t};` would copy t: an initializer_list's
// elements are const.)
template <class... T> std::vector<Tensor> outputs(T&&... t)
{
    std::vector<Tensor> v;
    v.reserve(sizeof...(T));
    (v.push_back(std::forward<T>(t)), ...);
    return v;
}

} // namespace bg
