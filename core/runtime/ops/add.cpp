// Add: numpy-broadcasting a + b (integers wrap).
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <cmath>

void bg_register_add(bg::OpRegistry& registry)
{
    registry.add(bg::binaryArithmeticOp("Add", [](float a, float b) { return bg::addFloat(a, b); }, bg::wrapAdd));
}
