// GlobalMaxPool: max over all spatial axes, [N, C, D...] -> [N, C, 1...]. Memory-bound, so the
// reference loop is the only kernel.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <limits>

void bg_register_global_max_pool(bg::OpRegistry& registry)
{
    registry.add({"GlobalMaxPool",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bg::requireFloat(ctx, x, "X");
                      if (x.rank() < 3)
                          ctx.fail(bg::ErrorCode::ShapeMismatch,
                                   "X must be N x C x D1 ..., got " + bg::shapeToString(x.shape()));
                      bg::Shape outShape(static_cast<size_t>(x.rank()), 1);
                      outShape[0] = x.dim(0);
                      outShape[1] = x.dim(1);
                      const int64_t planes = x.dim(0) * x.dim(1);
                      const int64_t size = planes == 0 ? 0 : x.numel() / planes;
                      if (size == 0 && planes > 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "X " + bg::shapeToString(x.shape())
                                                                     + " has an empty spatial extent");
                      const float* src = x.floats().data();
                      std::vector<float> y(static_cast<size_t>(planes));
                      for (int64_t p = 0; p < planes; ++p) {
                          float best = -std::numeric_limits<float>::infinity();
                          for (int64_t i = 0; i < size; ++i)
                              best = std::max(best, src[p * size + i]);
                          y[static_cast<size_t>(p)] = best;
                      }
                      return std::vector<bg::Tensor>{bg::makeTensor(outShape, std::move(y), x.elemType())};
                  },
                  {}});
}
