// Sinh: y = sinh(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sinh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Sinh", [](float x) { return std::sinh(x); }));
}
