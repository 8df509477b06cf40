// Cosh: y = cosh(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_cosh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Cosh", [](float x) { return std::cosh(x); }));
}
