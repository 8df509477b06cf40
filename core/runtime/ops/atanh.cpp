// Atanh: y = atanh(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_atanh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Atanh", [](float x) { return std::atanh(x); }));
}
