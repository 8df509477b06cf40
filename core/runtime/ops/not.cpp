// Not: logical negation of a bool tensor (int64 0/1).
#include "runtime/kernels/elementwise.h"

void bg_register_not(bg::OpRegistry& registry)
{
    registry.add({"Not",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      std::vector<int64_t> out(static_cast<size_t>(x.numel()));
                      const std::vector<float> v = x.toFloatVector();
                      for (size_t i = 0; i < out.size(); ++i)
                          out[i] = v[i] == 0.0f ? 1 : 0;
                      return bg::outputs(bg::makeTensor(x.shape(), std::move(out), bg::kOnnxBool));
                  },
                  {}});
}
