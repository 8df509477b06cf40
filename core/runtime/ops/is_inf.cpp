// IsInf: bool, true where x is infinite (detect_positive / detect_negative select the signs).
#include "runtime/kernels/elementwise.h"

#include <cmath>

void bg_register_is_inf(bg::OpRegistry& registry)
{
    registry.add(bg::OpDef{"IsInf",
                          [](const bg::KernelContext& ctx) {
                              const bg::Tensor& x = ctx.in(0);
                              bg::requireFloat(ctx, x);
                              const bool pos = ctx.node.attrInt("detect_positive", 1) != 0;
                              const bool neg = ctx.node.attrInt("detect_negative", 1) != 0;
                              std::vector<int64_t> out;
                              for (float v : x.floats())
                                  out.push_back(std::isinf(v) && ((v > 0 && pos) || (v < 0 && neg)) ? 1 : 0);
                              return bg::outputs(bg::makeTensor(x.shape(), std::move(out), bg::kOnnxBool));
                          },
                          {}});
}
