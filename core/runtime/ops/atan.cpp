// Atan: y = atan(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_atan(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Atan", [](float x) { return std::atan(x); }));
}
