// Shape: the input's dims as a 1-D int64 tensor; opset 15 adds `start`/`end` (negative counts
// from the back, both clamped to [0, rank]).
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

void bg_register_shape(bg::OpRegistry& registry)
{
    registry.add({"Shape",
                  [](const bg::KernelContext& ctx) {
                      const bg::Shape& s = ctx.in(0).shape();
                      const auto rank = static_cast<int64_t>(s.size());
                      int64_t start = ctx.node.attrInt("start", 0);
                      int64_t end = ctx.node.attrInt("end", rank);
                      if (start < 0)
                          start += rank;
                      if (end < 0)
                          end += rank;
                      start = std::clamp<int64_t>(start, 0, rank);
                      end = std::clamp<int64_t>(end, 0, rank);
                      std::vector<int64_t> dims;
                      for (int64_t d = start; d < end; ++d)
                          dims.push_back(s[static_cast<size_t>(d)]);
                      const auto n = static_cast<int64_t>(dims.size());
                      return bg::outputs(bg::Tensor(bg::Shape{n}, std::move(dims)));
                  },
                  {}});
}
