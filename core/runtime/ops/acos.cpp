// Acos: y = acos(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_acos(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Acos", [](float x) { return std::acos(x); }));
}
