#pragma once
// What an operator kernel sees: its node, its inputs (nullptr for omitted optional ones) and the
// model's opset. Kernels return their outputs; they never see the rest of the graph.
#include "io/error.h"
#include "model/node.h"
#include "model/tensor.h"

#include <cstdint>
#include <vector>

namespace bg {

struct KernelContext {
    const Node& node;
    std::vector<const Tensor*> inputs;
    int64_t opset = 0;

    size_t numInputs() const { return inputs.size(); }
    bool has(size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
    // Input i; throws bg::Error(InvalidModel) naming the node when it is missing.
    const Tensor& in(size_t i) const;
    const Tensor* optIn(size_t i) const { return has(i) ? inputs[i] : nullptr; }

    // Convenience for kernel errors: bg::Error(ShapeMismatch/BadAttribute...) about this node.
    [[noreturn]] void fail(ErrorCode code, const std::string& problem) const;
};

} // namespace bg
