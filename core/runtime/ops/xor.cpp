// Xor: logical xor of bool tensors (int64 0/1), broadcasting.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_xor(bg::OpRegistry& registry)
{
    registry.add(bg::comparisonOp("Xor", [](float a, float b) { return (a != 0.0f) != (b != 0.0f); }, [](int64_t a, int64_t b) { return (a != 0) != (b != 0); }));
}
