// Add: numpy-broadcasting a + b (integers wrap).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_add(bg::OpRegistry& registry)
{
    registry.add(bg::binaryArithmeticOp("Add", [](float a, float b) { return a + b; }, bg::wrapAdd));
}
