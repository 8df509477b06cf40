// SpaceToDepth: [N, C, H, W] -> [N, C * b^2, H / b, W / b], the inverse of DepthToSpace DCR.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_space_to_depth(bg::OpRegistry& registry)
{
    registry.add({"SpaceToDepth",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const int64_t b = ctx.node.attrInt("blocksize");
                      if (x.rank() != 4)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must be 4-D");
                      const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
                      if (b <= 0 || h % b != 0 || w % b != 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "height and width must be divisible by blocksize");
                      const int64_t oh = h / b, ow = w / b;
                      const bg::Shape outShape{n, c * b * b, oh, ow};
                      bg::checkedNumel(ctx, outShape);
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          const auto in = bg::valuesOf<T>(x);
                          std::vector<T> out(in.size());
                          size_t o = 0;
                          for (int64_t in_ = 0; in_ < n; ++in_)
                              for (int64_t oc = 0; oc < c * b * b; ++oc) {
                                  const int64_t block = oc / c, ch = oc % c, i = block / b, j = block % b;
                                  for (int64_t y = 0; y < oh; ++y)
                                      for (int64_t xx = 0; xx < ow; ++xx)
                                          out[o++] = in[static_cast<size_t>(((in_ * c + ch) * h + y * b + i) * w + xx * b + j)];
                              }
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      }));
                  },
                  {}});
}
