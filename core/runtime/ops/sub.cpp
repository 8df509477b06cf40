// Sub: numpy-broadcasting a - b (integers wrap).
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <cmath>

void bg_register_sub(bg::OpRegistry& registry)
{
    registry.add(bg::binaryArithmeticOp("Sub", [](float a, float b) { return bg::subFloat(a, b); }, bg::wrapSub));
}
