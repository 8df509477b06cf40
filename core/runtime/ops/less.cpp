// Less: a < b with broadcasting, bool result.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_less(bg::OpRegistry& registry)
{
    registry.add(bg::comparisonOp("Less", [](float a, float b) { return a < b; }, [](int64_t a, int64_t b) { return a < b; }));
}
