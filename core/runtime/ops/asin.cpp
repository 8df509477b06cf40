// Asin: y = asin(x) (NaN outside the domain, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_asin(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Asin", [](float x) { return std::asin(x); }));
}
