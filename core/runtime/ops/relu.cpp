// Relu: y = max(x, 0) (integer tensors too, opset 14).
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <algorithm>

void bg_register_relu(bg::OpRegistry& registry)
{
    registry.add(bg::unaryNumericOp(
        "Relu", [](float x) { return bg::reluFloat(x); }, [](int64_t x) { return std::max<int64_t>(x, 0); }));
}
