#pragma once
// The Reduce* operators: which axes (attribute `axes`, or input 1 where the opset moved it there:
// ReduceSum from 13, the others from 18), keepdims, noop_with_empty_axes, and one accumulation
// loop parameterised by the reduction.
#include "runtime/kernel_context.h"

namespace bg {

enum class ReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

Tensor reduceAxes(const KernelContext& ctx, const Tensor& x, ReduceKind kind);

// ArgMax / ArgMin along `axis` (keepdims, select_last_index); int64 result.
Tensor argReduce(const KernelContext& ctx, const Tensor& x, bool isMax);

} // namespace bg
