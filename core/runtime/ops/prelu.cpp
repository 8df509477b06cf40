// PRelu: y = x for x >= 0, slope * x otherwise; slope broadcasts unidirectionally to x's shape.
#include "runtime/kernels/elementwise.h"

void bg_register_prelu(bg::OpRegistry& registry)
{
    registry.add({"PRelu",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const bg::Tensor& slope = ctx.in(1);
                      bg::requireFloat(ctx, x);
                      bg::requireFloat(ctx, slope, "slope");
                      if (!bg::broadcastsTo(slope.shape(), x.shape()))
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "slope of shape " + bg::shapeToString(slope.shape())
                                                                     + " does not broadcast to the input shape "
                                                                     + bg::shapeToString(x.shape()));
                      return std::vector<bg::Tensor>{bg::arithmeticBinary(
                          ctx, x, slope, [](float v, float s) { return v >= 0.0f ? v : s * v; },
                          [](int64_t v, int64_t) { return v; })};
                  },
                  {}});
}
