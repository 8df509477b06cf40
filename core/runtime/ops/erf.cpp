// Erf: the error function (used by exported GELU).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_erf(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Erf", [](float x) { return std::erf(x); }));
}
