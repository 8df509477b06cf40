// Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), alpha defaults to 1.
#include "runtime/kernels/elementwise.h"

#include <algorithm>
#include <cmath>

void bg_register_celu(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"Celu",
                          [](const bg::KernelContext& ctx) {
                              const float alpha = ctx.node.attrFloat("alpha", 1.0f);
                              return bg::outputs(bg::mapFloat(ctx, ctx.in(0), [alpha](float x) {
                                  return std::max(0.0f, x) + std::min(0.0f, alpha * std::expm1(x / alpha));
                              }));
                          },
                          {}});
}
