// DepthToSpace: [N, C, H, W] -> [N, C / b^2, H * b, W * b]. Mode DCR (default) takes the block
// offset from the high channel bits (depth, column, row); CRD from the low ones.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_depth_to_space(bg::OpRegistry& registry)
{
    registry.add({"DepthToSpace",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const int64_t b = ctx.node.attrInt("blocksize");
                      const std::string mode = ctx.node.attrString("mode", "DCR");
                      if (x.rank() != 4)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must be 4-D");
                      if (mode != "DCR" && mode != "CRD")
                          ctx.fail(bg::ErrorCode::BadAttribute, "unknown mode '" + mode + "'");
                      const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
                      if (b <= 0 || b > 4096 || c % (b * b) != 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "channels " + std::to_string(c)
                                                                     + " are not divisible by blocksize^2");
                      const int64_t oc = c / (b * b);
                      const bg::Shape outShape{n, oc, h * b, w * b};
                      bg::checkedNumel(ctx, outShape);
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          const auto in = bg::valuesOf<T>(x);
                          std::vector<T> out(in.size());
                          size_t o = 0;
                          for (int64_t in_ = 0; in_ < n; ++in_)
                              for (int64_t ch = 0; ch < oc; ++ch)
                                  for (int64_t y = 0; y < h * b; ++y)
                                      for (int64_t xx = 0; xx < w * b; ++xx) {
                                          const int64_t i = y % b, j = xx % b;
                                          const int64_t src = mode == "DCR" ? (i * b + j) * oc + ch : ch * b * b + i * b + j;
                                          out[o++] = in[static_cast<size_t>(((in_ * c + src) * h + y / b) * w + xx / b)];
                                      }
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      }));
                  },
                  {}});
}
