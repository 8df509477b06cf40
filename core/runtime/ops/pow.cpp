// Pow: numpy-broadcasting x ^ y. The exponent may have another type than the base (opset 12+);
// the result has the base's type. Integer results come from the double-precision power,
// converted without undefined behaviour.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_pow(bg::OpRegistry& registry)
{
    registry.add({"Pow",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const bg::Tensor& y = ctx.in(1);
                      bg::Shape shape;
                      if (x.isFloat()) {
                          const std::vector<float> e = y.toFloatVector();
                          auto v = bg::broadcastBinary<float>(ctx, x.floats().data(), x.shape(), e.data(), y.shape(),
                                                              shape, [](float a, float b) { return std::pow(a, b); });
                          return bg::outputs(bg::makeTensor(std::move(shape), std::move(v), x.elemType()));
                      }
                      if (!y.isFloat()) {
                          // Exact integer power by squaring (wrapping like the integer type would).
                          auto v = bg::broadcastBinary<int64_t>(
                              ctx, x.ints().data(), x.shape(), y.ints().data(), y.shape(), shape,
                              [](int64_t a, int64_t b) {
                                  if (b < 0)
                                      return bg::floatToInt64(std::pow(static_cast<double>(a), static_cast<double>(b)));
                                  int64_t r = 1;
                                  for (; b > 0; b >>= 1) {
                                      if (b & 1)
                                          r = bg::wrapMul(r, a);
                                      a = bg::wrapMul(a, a);
                                  }
                                  return r;
                              });
                          return bg::outputs(bg::makeTensor(std::move(shape), std::move(v), x.elemType()));
                      }
                      auto v = bg::broadcastBinary<int64_t>(
                          ctx, x.ints().data(), x.shape(), y.floats().data(), y.shape(), shape, [](int64_t a, float b) {
                              return bg::floatToInt64(std::pow(static_cast<double>(a), static_cast<double>(b)));
                          });
                      return bg::outputs(bg::makeTensor(std::move(shape), std::move(v), x.elemType()));
                  },
                  {}});
}
