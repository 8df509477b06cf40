#pragma once
// Softmax, LogSoftmax and Hardmax share how they pick the normalised group of elements: before
// opset 13 the input is coerced to 2-D at `axis` (default 1) and each row is one group; from
// opset 13 the groups run along the single dim `axis` (default -1).
#include "runtime/kernel_context.h"

namespace bg {

enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };

Tensor softmaxFamily(const KernelContext& ctx, const Tensor& x, SoftmaxKind kind);

} // namespace bg
