// GlobalAveragePool: mean over all spatial axes, [N, C, D...] -> [N, C, 1...]. Memory-bound, so the
// reference loop (double accumulation) is the only kernel.
#include "runtime/kernels/pool_setup.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_global_average_pool(bg::OpRegistry& registry)
{
    registry.add({"GlobalAveragePool",
                  [](const bg::KernelContext& ctx) {
                      const bg::GlobalPoolCall g = bg::prepareGlobalPool(ctx);
                      const int64_t planes = g.planes, size = g.size;
                      const float* src = g.x;
                      std::vector<float> y(static_cast<size_t>(planes));
                      for (int64_t p = 0; p < planes; ++p) {
                          double sum = 0.0;
                          for (int64_t i = 0; i < size; ++i)
                              sum += src[p * size + i];
                          y[static_cast<size_t>(p)] = size ? static_cast<float>(sum / double(size)) : 0.0f;
                      }
                      return bg::outputs(bg::makeTensor(g.outShape, std::move(y), g.elemType));
                  },
                  {}});
}
