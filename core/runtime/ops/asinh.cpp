// Asinh: y = asinh(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_asinh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Asinh", [](float x) { return std::asinh(x); }));
}
