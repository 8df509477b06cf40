// Sigmoid: y = 1 / (1 + exp(-x)).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sigmoid(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Sigmoid", [](float x) {
        // Split by sign so exp never overflows to inf/inf.
        if (x >= 0.0f)
            return 1.0f / (1.0f + std::exp(-x));
        const float e = std::exp(x);
        return e / (1.0f + e);
    }));
}
