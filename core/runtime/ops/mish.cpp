// Mish: y = x * tanh(softplus(x)).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_mish(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Mish", [](float x) {
        const float sp = x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
        return x * std::tanh(sp);
    }));
}
