// OneHot: output[..., i at `axis`, ...] = values[1] where indices == i, else values[0]; negative
// indices count from depth, out-of-range ones give an all-off row.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cmath>

void bg_register_one_hot(bg::OpRegistry& registry)
{
    registry.add({"OneHot",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& idxT = ctx.in(0);
                      const bg::Tensor& values = ctx.in(2);
                      if (values.numel() != 2)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "values must hold [off, on]");
                      const float depthF = bg::inputScalarFloat(ctx, 1, "depth");
                      if (!(depthF >= 1.0f) || depthF > static_cast<float>(bg::kMaxKernelElements))
                          ctx.fail(bg::ErrorCode::BadInput, "depth must be at least 1");
                      const auto depth = static_cast<int64_t>(depthF);
                      const int outRank = idxT.rank() + 1;
                      const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), outRank);
                      bg::Shape outShape = idxT.shape();
                      outShape.insert(outShape.begin() + axis, depth);
                      bg::checkedNumel(ctx, outShape);
                      const std::vector<float> idx = idxT.toFloatVector();
                      const int64_t outer = bg::dimProduct(idxT.shape(), 0, axis);
                      const int64_t inner = bg::dimProduct(idxT.shape(), axis, idxT.rank());
                      std::vector<int64_t> hot(idx.size());  // -1: none
                      for (size_t i = 0; i < idx.size(); ++i) {
                          const double k = std::trunc(static_cast<double>(idx[i]));
                          const double kk = k < 0 ? k + static_cast<double>(depth) : k;
                          hot[i] = (kk >= 0 && kk < static_cast<double>(depth)) ? static_cast<int64_t>(kk) : -1;
                      }
                      return bg::outputs(bg::visitDType(values, [&]<class T>(T) {
                          const auto vv = bg::valuesOf<T>(values);
                          std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)), vv[0]);
                          for (int64_t o = 0; o < outer; ++o)
                              for (int64_t i = 0; i < inner; ++i) {
                                  const int64_t h = hot[static_cast<size_t>(o * inner + i)];
                                  if (h >= 0)
                                      out[static_cast<size_t>((o * depth + h) * inner + i)] = vv[1];
                              }
                          return bg::makeTensor(outShape, std::move(out), values.elemType());
                      }));
                  },
                  {}});
}
