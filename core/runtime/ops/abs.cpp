// Abs: y = |x| (the most negative integer wraps to itself, as in two's complement).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_abs(bg::OpRegistry& registry)
{
    registry.add(bg::unaryNumericOp(
        "Abs", [](float x) { return std::fabs(x); }, [](int64_t x) { return x < 0 ? bg::wrapNeg(x) : x; }));
}
