// Softsign: y = x / (1 + |x|).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_softsign(bg::OpRegistry& registry)
{
    registry.add(bg::unaryFloatOp("Softsign", [](float x) { return x / (1.0f + std::fabs(x)); }));
}
