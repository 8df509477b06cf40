// Sign: -1, 0 or 1.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sign(bg::OpRegistry& registry)
{
    registry.add(bg::unaryNumericOp(
        "Sign", [](float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x); },
        [](int64_t x) { return int64_t{x > 0 ? 1 : (x < 0 ? -1 : 0)}; }));
}
