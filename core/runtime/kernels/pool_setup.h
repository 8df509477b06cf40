#pragma once
// Checks a MaxPool / AveragePool node's input and attributes and resolves its window geometry.
#include "runtime/kernels/pool_reference.h"

namespace bg {

struct PoolCall {
    PoolShape shape;
    const Tensor* input = nullptr;
    const float* x = nullptr;  // nullptr for an integer input (allowed only with `allowInt`)
    Shape outShape;  // [N, C, out...], size checked
    int32_t elemType = 1;
};

// `withDilations`: the op version has a dilations attribute (MaxPool >= 10, AveragePool >= 19).
PoolCall preparePool(const KernelContext& ctx, bool withDilations, bool allowInt = false);

// GlobalAveragePool / GlobalMaxPool: a float X of shape [N, C, D...] seen as N·C planes of `size`
// elements each, reduced to [N, C, 1...]. Fails (naming the node) on a non-float X or rank < 3.
struct GlobalPoolCall {
    const float* x = nullptr;
    Shape outShape;
    int64_t planes = 0;
    int64_t size = 0;
    int32_t elemType = 1;
};
GlobalPoolCall prepareGlobalPool(const KernelContext& ctx);

} // namespace bg
