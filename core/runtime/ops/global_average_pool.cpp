// GlobalAveragePool: mean over all spatial axes, [N, C, D...] -> [N, C, 1...]. Memory-bound, so the
// reference loop (double accumulation) is the only kernel.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_global_average_pool(bg::OpRegistry& registry)
{
    registry.add({"GlobalAveragePool",
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
                      const float* src = x.floats().data();
                      std::vector<float> y(static_cast<size_t>(planes));
                      for (int64_t p = 0; p < planes; ++p) {
                          double sum = 0.0;
                          for (int64_t i = 0; i < size; ++i)
                              sum += src[p * size + i];
                          y[static_cast<size_t>(p)] = size ? static_cast<float>(sum / double(size)) : 0.0f;
                      }
                      return std::vector<bg::Tensor>{bg::makeTensor(outShape, std::move(y), x.elemType())};
                  },
                  {}});
}
