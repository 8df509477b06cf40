// HardSwish: y = x * max(0, min(1, x / 6 + 0.5)) (ONNX: alpha = 1/6, beta = 0.5).
#include "runtime/kernels/elementwise.h"

#include <algorithm>

void bg_register_hard_swish(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("HardSwish", [](float x) {
        return x * std::max(0.0f, std::min(1.0f, x * (1.0f / 6.0f) + 0.5f));
    }));
}
