// Acosh: y = acosh(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_acosh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Acosh", [](float x) { return std::acosh(x); }));
}
