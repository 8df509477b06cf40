// Selu: y = gamma * x for x > 0, gamma * alpha * (e^x - 1) otherwise; defaults from the ONNX spec.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_selu(bg::OpRegistry& registry)
{
    registry.add({"Selu",
                  [](const bg::KernelContext& ctx) {
                      const float alpha = ctx.node.attrFloat("alpha", 1.67326319217681884765625f);
                      const float gamma = ctx.node.attrFloat("gamma", 1.05070102214813232421875f);
                      return bg::outputs(bg::mapFloat(ctx, ctx.in(0), [alpha, gamma](float x) {
                          return x > 0.0f ? gamma * x : gamma * alpha * std::expm1(x);
                      }));
                  },
                  {}});
}
