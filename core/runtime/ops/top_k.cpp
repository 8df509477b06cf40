// TopK: the k largest (or smallest) values along `axis` and their int64 indices; ties keep the
// lower index first (what the ONNX reference does).
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <numeric>

void bg_register_top_k(bg::OpRegistry& registry)
{
    registry.add({"TopK",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      if (x.rank() == 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must have rank 1 or more");
                      const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), x.rank());
                      const bool largest = ctx.node.attrInt("largest", 1) != 0;
                      int64_t k = 0;
                      if (ctx.opset < 10) {
                          k = ctx.node.attrInt("k");
                      } else {
                          const std::vector<int64_t> kv = bg::inputInts(ctx, 1, "K");
                          if (kv.size() != 1)
                              ctx.fail(bg::ErrorCode::ShapeMismatch, "K must hold one value");
                          k = kv[0];
                      }
                      const int64_t len = x.dim(axis);
                      if (k < 0 || k > len)
                          ctx.fail(bg::ErrorCode::BadInput, "k = " + std::to_string(k) + " for an axis of size "
                                                                + std::to_string(len));
                      const int64_t outer = bg::dimProduct(x.shape(), 0, axis);
                      const int64_t inner = bg::dimProduct(x.shape(), axis + 1, x.rank());
                      bg::Shape outShape = x.shape();
                      outShape[static_cast<size_t>(axis)] = k;
                      std::vector<int64_t> indices(static_cast<size_t>(outer * k * inner));
                      bg::Tensor values = bg::visitDType(x, [&]<class T>(T) {
                          const auto v = bg::valuesOf<T>(x);
                          std::vector<T> out(indices.size());
                          std::vector<int64_t> order(static_cast<size_t>(len));
                          for (int64_t o = 0; o < outer; ++o)
                              for (int64_t i = 0; i < inner; ++i) {
                                  auto at = [&](int64_t j) { return v[static_cast<size_t>((o * len + j) * inner + i)]; };
                                  std::iota(order.begin(), order.end(), 0);
                                  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
                                      return largest ? at(a) > at(b) : at(a) < at(b);
                                  });
                                  for (int64_t j = 0; j < k; ++j) {
                                      const auto dst = static_cast<size_t>((o * k + j) * inner + i);
                                      out[dst] = at(order[static_cast<size_t>(j)]);
                                      indices[dst] = order[static_cast<size_t>(j)];
                                  }
                              }
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      });
                      return bg::outputs(values, bg::Tensor(outShape, std::move(indices)));
                  },
                  {}});
}
