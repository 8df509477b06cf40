// Sin.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sin(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Sin", [](float x) { return std::sin(x); }));
}
