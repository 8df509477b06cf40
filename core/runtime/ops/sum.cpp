// Sum: element-wise sum of all inputs with broadcasting.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_sum(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"Sum",
                          [](const bg::KernelContext& ctx) {
                              return bg::outputs(
                                  bg::foldInputs(ctx, [](float a, float b) { return a + b; }, bg::wrapAdd));
                          },
                          {}});
}
