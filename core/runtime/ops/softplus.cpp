// Softplus: y = ln(1 + e^x), computed without overflow for large x.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_softplus(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Softplus", [](float x) {
        return x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }));
}
