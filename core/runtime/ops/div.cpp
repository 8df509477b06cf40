// Div: numpy-broadcasting a / b. Integer division truncates toward zero (ONNX follows C); an
// integer division by zero is refused instead of being undefined behaviour.
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <limits>

void bg_register_div(bg::OpRegistry& registry)
{
    registry.add({"Div",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& a = ctx.in(0);
                      const bg::Tensor& b = ctx.in(1);
                      if (!b.isFloat())
                          for (int64_t v : b.ints())
                              if (v == 0)
                                  ctx.fail(bg::ErrorCode::BadInput, "integer division by zero");
                      return bg::outputs(bg::arithmeticBinary(
                          ctx, a, b, [](float x, float y) { return bg::divFloat(x, y); },
                          [](int64_t x, int64_t y) {
                              // INT64_MIN / -1 overflows; two's complement wraps it to INT64_MIN.
                              if (y == -1)
                                  return bg::wrapNeg(x);
                              return x / y;
                          }));
                  },
                  {}});
}
