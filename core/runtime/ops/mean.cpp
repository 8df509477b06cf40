// Mean: element-wise mean of all inputs with broadcasting.
#include "runtime/kernels/elementwise.h"

void bg_register_mean(bg::OpRegistry& registry)
{
    registry.add({"Mean",
                  [](const bg::KernelContext& ctx) {
                      bg::Tensor sum = bg::foldInputs(ctx, [](float a, float b) { return a + b; }, bg::wrapAdd);
                      int64_t count = 0;
                      for (size_t i = 0; i < ctx.numInputs(); ++i)
                          count += ctx.has(i) ? 1 : 0;
                      if (sum.isFloat()) {
                          for (float& v : sum.floats())
                              v /= static_cast<float>(count);
                      } else {
                          for (int64_t& v : sum.ints())
                              v /= count;
                      }
                      return bg::outputs(std::move(sum));
                  },
                  {}});
}
