// Tan: y = tan(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_tan(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Tan", [](float x) { return std::tan(x); }));
}
