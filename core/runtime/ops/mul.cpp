// Mul: numpy-broadcasting a * b (integers wrap).
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <cmath>

void bg_register_mul(bg::OpRegistry& registry)
{
    registry.add(bg::binaryArithmeticOp("Mul", [](float a, float b) { return bg::mulFloat(a, b); }, bg::wrapMul));
}
