// PRelu: y = x for x >= 0, slope * x otherwise; slope broadcasts unidirectionally to x's shape
// (or, as opset <= 6 had it, a 1-D slope runs along the channel axis).
#include "runtime/kernels/elementwise.h"

void bg_register_prelu(bg::OpRegistry& registry)
{
    registry.add({"PRelu",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bg::Tensor slope = ctx.in(1);
                      bg::requireFloat(ctx, x);
                      bg::requireFloat(ctx, slope, "slope");
                      // Opset <= 6 models (old PyTorch exports) give a per-channel slope [C] for an
                      // N x C x ... input; read it along axis 1 as those opsets did.
                      if (!bg::broadcastsTo(slope.shape(), x.shape()) && slope.rank() == 1 && x.rank() >= 2
                          && slope.dim(0) == x.dim(1)) {
                          bg::Shape s(static_cast<size_t>(x.rank() - 1), 1);
                          s[0] = slope.dim(0);
                          slope = slope.reshaped(s);
                      }
                      if (!bg::broadcastsTo(slope.shape(), x.shape()))
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "slope of shape " + bg::shapeToString(slope.shape())
                                                                     + " does not broadcast to the input shape "
                                                                     + bg::shapeToString(x.shape()));
                      return bg::outputs(bg::arithmeticBinary(
                          ctx, x, slope, [](float v, float s) { return v >= 0.0f ? v : s * v; },
                          [](int64_t v, int64_t) { return v; }));
                  },
                  {}});
}
