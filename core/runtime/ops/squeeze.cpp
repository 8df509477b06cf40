// Squeeze: removes the listed dims (each must be 1), or every dim of size 1 when no axes are
// given. Axes are an attribute before opset 13 and an optional input from 13.
#include "runtime/kernels/axis_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

void bg_register_squeeze(bg::OpRegistry& registry)
{
    registry.add({"Squeeze",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bool given = false;
                      const std::vector<int64_t> raw = bg::axesFromInputOrAttr(ctx, 1, &given);
                      std::vector<int> axes = bg::normalizeAxes(ctx, raw, x.rank());
                      bg::Shape out;
                      for (int d = 0; d < x.rank(); ++d) {
                          const bool listed = std::find(axes.begin(), axes.end(), d) != axes.end();
                          if (listed && x.dim(d) != 1)
                              ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot squeeze axis " + std::to_string(d)
                                                                         + " of shape " + bg::shapeToString(x.shape())
                                                                         + ": its size is not 1");
                          if (listed || (!given && x.dim(d) == 1))
                              continue;
                          out.push_back(x.dim(d));
                      }
                      return bg::outputs(ctx.takeOrCopyOf(x).reshaped(out));
                  },
                  {}});
}
