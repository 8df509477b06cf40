// Cos.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_cos(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Cos", [](float x) { return std::cos(x); }));
}
