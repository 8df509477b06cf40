// Shrink: x + bias below -lambd, x - bias above lambd, 0 in between (lambd 0.5, bias 0).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_shrink(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"Shrink",
                          [](const bg::KernelContext& ctx) {
                              const float lambd = ctx.node.attrFloat("lambd", 0.5f);
                              const float bias = ctx.node.attrFloat("bias", 0.0f);
                              return bg::outputs(bg::mapNumeric(ctx,
                                  ctx.in(0),
                                  [=](float x) { return x < -lambd ? x + bias : (x > lambd ? x - bias : 0.0f); },
                                  [=](int64_t x) {
                                      const float f = static_cast<float>(x);
                                      return bg::floatToInt64(f < -lambd ? f + bias : (f > lambd ? f - bias : 0.0f));
                                  }));
                          },
                          {}});
}
