// Log: natural logarithm (log(0) = -inf, negative -> NaN, as IEEE says).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_log(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Log", [](float x) { return std::log(x); }));
}
