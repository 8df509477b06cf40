// Exp: y = e^x.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_exp(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Exp", [](float x) { return std::exp(x); }));
}
