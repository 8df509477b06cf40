// Relu: y = max(x, 0).
#include "runtime/op_registry.h"

#include <algorithm>

void bg_register_relu(bg::OpRegistry& registry)
{
    registry.add({"Relu",
                  [](const bg::KernelContext& ctx) {
                      bg::Tensor y = ctx.in(0);
                      for (float& v : y.floats())
                          v = std::max(v, 0.0f);
                      return std::vector<bg::Tensor>{std::move(y)};
                  },
                  {}});
}
