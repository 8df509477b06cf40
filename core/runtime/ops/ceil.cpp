// Ceil: round toward +inf.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_ceil(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Ceil", [](float x) { return std::ceil(x); }));
}
