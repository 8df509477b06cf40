// LeakyRelu: y = x for x >= 0, alpha * x otherwise (alpha defaults to 0.01).
#include "runtime/kernels/elementwise.h"

void bg_register_leaky_relu(bg::OpRegistry& registry)
{
    registry.add({"LeakyRelu",
                  [](const bg::KernelContext& ctx) {
                      const float alpha = ctx.node.attrFloat("alpha", 0.01f);
                      return bg::outputs(
                          bg::mapFloat(ctx, ctx.in(0), [alpha](float x) { return x >= 0.0f ? x : alpha * x; }));
                  },
                  {}});
}
