// Round: to nearest, halves to even (ONNX Round).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_round(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Round", [](float x) { return std::nearbyint(x); }));
}
