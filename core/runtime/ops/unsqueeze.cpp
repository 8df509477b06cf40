// Unsqueeze: inserts dims of size 1 at the listed positions of the output (negative counts from
// the output's end). Axes are an attribute before opset 13 and a required input from 13.
#include "runtime/kernels/axis_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

void bg_register_unsqueeze(bg::OpRegistry& registry)
{
    registry.add({"Unsqueeze",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bool given = false;
                      const std::vector<int64_t> raw = bg::axesFromInputOrAttr(ctx, 1, &given);
                      if (!given)
                          ctx.fail(bg::ErrorCode::InvalidModel, "axes are missing");
                      const int64_t outRank = x.rank() + static_cast<int64_t>(raw.size());
                      const std::vector<int> axes = bg::normalizeAxes(ctx, raw, outRank);
                      bg::Shape out;
                      size_t next = 0;
                      for (int d = 0; d < outRank; ++d) {
                          if (std::find(axes.begin(), axes.end(), d) != axes.end())
                              out.push_back(1);
                          else
                              out.push_back(x.shape()[next++]);
                      }
                      return bg::outputs(ctx.takeOrCopyOf(x).reshaped(out));
                  },
                  {}});
}
