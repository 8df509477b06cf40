// IsNaN: bool, true where x is NaN.
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_is_nan(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"IsNaN",
                          [](const bg::KernelContext& ctx) {
                              const bg::Tensor& x = ctx.in(0);
                              bg::requireFloat(ctx, x);
                              std::vector<int64_t> out;
                              for (float v : x.floats())
                                  out.push_back(std::isnan(v) ? 1 : 0);
                              return bg::outputs(bg::makeTensor(x.shape(), std::move(out), bg::kOnnxBool));
                          },
                          {}});
}
