// Tanh: y = tanh(x).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_tanh(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Tanh", [](float x) { return std::tanh(x); }));
}
