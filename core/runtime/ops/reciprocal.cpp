// Reciprocal: y = 1 / x.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_reciprocal(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Reciprocal", [](float x) { return 1.0f / x; }));
}
