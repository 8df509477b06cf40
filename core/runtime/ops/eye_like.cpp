// EyeLike: a 2-D tensor of the input's shape with ones on diagonal k (attribute, default 0);
// element type from `dtype`, else the input's.
#include "runtime/kernels/elementwise_cast.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_eye_like(bg::OpRegistry& registry)
{
    registry.add({"EyeLike",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      if (x.rank() != 2)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must be 2-D");
                      const int64_t k = ctx.node.attrInt("k", 0);
                      const int64_t rows = x.dim(0), cols = x.dim(1);
                      std::vector<float> v(static_cast<size_t>(x.numel()), 0.0f);
                      for (int64_t r = 0; r < rows; ++r)
                          if (k >= -r && k < cols - r)  // column r + k inside the matrix (no overflow)
                              v[static_cast<size_t>(r * cols + r + k)] = 1.0f;
                      const bg::Tensor ones(x.shape(), std::move(v));
                      const int64_t dtype = ctx.node.attrInt("dtype", x.elemType());
                      return bg::outputs(bg::castTensor(ctx, ones, dtype));
                  },
                  {}});
}
