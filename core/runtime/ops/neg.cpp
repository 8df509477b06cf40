// Neg: y = -x (integers wrap).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_neg(bg::OpRegistry& registry)
{
    registry.add(bg::unaryNumericOp("Neg", [](float x) { return -x; }, [](int64_t x) { return bg::wrapNeg(x); }));
}
