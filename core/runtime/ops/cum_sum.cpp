// CumSum: running sum along the axis given as input 1; `exclusive` leaves out the element itself,
// `reverse` runs from the end.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/elementwise.h"

#include <type_traits>

void bg_register_cum_sum(bg::OpRegistry& registry)
{
    registry.add({"CumSum",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const std::vector<int64_t> axisV = bg::inputInts(ctx, 1, "axis");
                      if (axisV.size() != 1 || x.rank() == 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "axis must be a scalar and the input rank >= 1");
                      const int axis = bg::normalizeAxis(ctx, axisV[0], x.rank());
                      const bool exclusive = ctx.node.attrInt("exclusive", 0) != 0;
                      const bool reverse = ctx.node.attrInt("reverse", 0) != 0;
                      const int64_t outer = bg::dimProduct(x.shape(), 0, axis);
                      const int64_t len = x.dim(axis);
                      const int64_t inner = bg::dimProduct(x.shape(), axis + 1, x.rank());
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          bg::Tensor y = x;
                          auto v = bg::valuesOf<T>(y);
                          const auto in = bg::valuesOf<T>(x);
                          for (int64_t o = 0; o < outer; ++o)
                              for (int64_t i = 0; i < inner; ++i) {
                                  T acc{};
                                  for (int64_t s = 0; s < len; ++s) {
                                      const int64_t k = reverse ? len - 1 - s : s;
                                      const auto at = static_cast<size_t>((o * len + k) * inner + i);
                                      if (exclusive)
                                          v[at] = acc;
                                      if constexpr (std::is_same_v<T, float>)
                                          acc += in[at];
                                      else
                                          acc = bg::wrapAdd(acc, in[at]);
                                      if (!exclusive)
                                          v[at] = acc;
                                  }
                              }
                          return y;
                      }));
                  },
                  {}});
}
