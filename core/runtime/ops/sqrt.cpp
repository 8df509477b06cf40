// Sqrt: y = sqrt(x) (NaN for negative x).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sqrt(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Sqrt", [](float x) { return std::sqrt(x); }));
}
