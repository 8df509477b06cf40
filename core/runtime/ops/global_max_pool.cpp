// GlobalMaxPool: max over all spatial axes, [N, C, D...] -> [N, C, 1...]. Memory-bound, so the
// reference loop is the only kernel.
#include "runtime/kernels/pool_setup.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <limits>

void bg_register_global_max_pool(bg::OpRegistry& registry)
{
    registry.add({"GlobalMaxPool",
                  [](const bg::KernelContext& ctx) {
                      const bg::GlobalPoolCall g = bg::prepareGlobalPool(ctx);
                      const int64_t planes = g.planes, size = g.size;
                      if (size == 0 && planes > 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "X " + bg::shapeToString(ctx.in(0).shape())
                                                                     + " has an empty spatial extent");
                      const float* src = g.x;
                      std::vector<float> y(static_cast<size_t>(planes));
                      for (int64_t p = 0; p < planes; ++p) {
                          float best = -std::numeric_limits<float>::infinity();
                          for (int64_t i = 0; i < size; ++i)
                              best = std::max(best, src[p * size + i]);
                          y[static_cast<size_t>(p)] = best;
                      }
                      return bg::outputs(bg::makeTensor(g.outShape, std::move(y), g.elemType));
                  },
                  {}});
}
