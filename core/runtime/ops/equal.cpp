// Equal: a == b with broadcasting, bool result.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_equal(bg::OpRegistry& registry)
{
    registry.add(bg::comparisonOp("Equal", [](float a, float b) { return a == b; }, [](int64_t a, int64_t b) { return a == b; }));
}
