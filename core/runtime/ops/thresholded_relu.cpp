// ThresholdedRelu: y = x for x > alpha (default 1), else 0.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_thresholded_relu(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"ThresholdedRelu",
                          [](const bg::KernelContext& ctx) {
                              const float alpha = ctx.node.attrFloat("alpha", 1.0f);
                              return bg::outputs(
                                  bg::mapFloat(ctx, ctx.in(0), [alpha](float x) { return x > alpha ? x : 0.0f; }));
                          },
                          {}});
}
