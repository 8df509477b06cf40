// Mod: remainder with broadcasting. fmod=0 (integers only): the sign follows the divisor, like
// Python's %; fmod=1: the sign follows the dividend, like C's fmod. Integer modulo by zero is
// refused instead of being undefined behaviour.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_mod(bg::OpRegistry& registry)
{
    registry.add({"Mod",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& a = ctx.in(0);
                      const bg::Tensor& b = ctx.in(1);
                      const bool fmod = ctx.node.attrInt("fmod", 0) != 0;
                      if (a.isFloat() && !fmod)
                          ctx.fail(bg::ErrorCode::BadAttribute, "float inputs need fmod=1");
                      if (!b.isFloat())
                          for (int64_t v : b.ints())
                              if (v == 0)
                                  ctx.fail(bg::ErrorCode::BadInput, "integer modulo by zero");
                      return bg::outputs(bg::arithmeticBinary(
                          ctx, a, b, [](float x, float y) { return std::fmod(x, y); },
                          [fmod](int64_t x, int64_t y) {
                              if (y == -1)
                                  return int64_t{0};  // also avoids INT64_MIN % -1
                              const int64_t r = x % y;
                              if (!fmod && r != 0 && ((r < 0) != (y < 0)))
                                  return r + y;
                              return r;
                          }));
                  },
                  {}});
}
