#pragma once
// Axis arguments as ONNX writes them: negative values count from the end. Every check fails with
// a bg::Error naming the node, so kernels never index out of range.
#include "runtime/kernel_context.h"

#include <cstdint>
#include <vector>

namespace bg {

// Maps axis in [-rank, rank) to [0, rank); `what` names the attribute in messages ("axis").
int normalizeAxis(const KernelContext& ctx, int64_t axis, int64_t rank, const char* what = "axis");

// Same for a list; fails on duplicates. The result keeps the given order.
std::vector<int> normalizeAxes(const KernelContext& ctx, const std::vector<int64_t>& axes, int64_t rank,
                               const char* what = "axes");

// Axes taken from input `inputIndex` if present (opset moved them there), else from the `axes`
// attribute; nullopt-like empty result with `given` false when neither exists.
std::vector<int64_t> axesFromInputOrAttr(const KernelContext& ctx, size_t inputIndex, bool* given);

// Product of dims [from, to).
int64_t dimProduct(const Shape& shape, int from, int to);

} // namespace bg
