// Floor: round toward -inf.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_floor(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Floor", [](float x) { return std::floor(x); }));
}
