// HardSigmoid: y = max(0, min(1, alpha * x + beta)), alpha 0.2 and beta 0.5 by default.
#include "runtime/kernels/elementwise.h"

#include <algorithm>

void bg_register_hard_sigmoid(bg::OpRegistry& registry)
{
    registry.add({"HardSigmoid",
                  [](const bg::KernelContext& ctx) {
                      const float alpha = ctx.node.attrFloat("alpha", 0.2f);
                      const float beta = ctx.node.attrFloat("beta", 0.5f);
                      return bg::outputs(bg::mapFloat(ctx, ctx.in(0), [alpha, beta](float x) {
                          return std::max(0.0f, std::min(1.0f, alpha * x + beta));
                      }));
                  },
                  {}});
}
