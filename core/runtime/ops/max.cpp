// Max: element-wise maximum of all inputs with broadcasting (NaN propagates).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_max(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"Max",
                          [](const bg::KernelContext& ctx) {
                              return bg::outputs(bg::foldInputs(
                                  ctx, [](float a, float b) { return (std::isnan(a) || a >= b) ? a : b; },
                                  [](int64_t a, int64_t b) { return a >= b ? a : b; }));
                          },
                          {}});
}
