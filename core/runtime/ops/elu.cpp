// Elu: y = x for x >= 0, alpha * (e^x - 1) otherwise (alpha defaults to 1).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_elu(bg::OpRegistry& registry)
{
    registry.add({"Elu",
                  [](const bg::KernelContext& ctx) {
                      const float alpha = ctx.node.attrFloat("alpha", 1.0f);
                      return bg::outputs(bg::mapFloat(
                          ctx, ctx.in(0), [alpha](float x) { return x >= 0.0f ? x : alpha * std::expm1(x); }));
                  },
                  {}});
}
