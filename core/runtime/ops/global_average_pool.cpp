// GlobalAveragePool: mean over all spatial axes, [N, C, D...] -> [N, C, 1...]. One kernel for both
// paths: the sum is taken in double in eight interleaved partial sums, added in a fixed order at the
// end. One running sum was a chain of dependent adds (the classifier's SE blocks: 20 us a call, 8 %
// of its run); eight independent ones let the compiler keep several in flight, and a fixed order
// keeps the result the same on every machine and thread count.
#include "runtime/kernels/interleaved_sum.h"
#include "runtime/kernels/parallel_ranges.h"
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
                      // Planes on the thread team, each summed on its own: the same values on any split.
                      bg::parallelRanges(planes, size, [&](int64_t begin, int64_t end) {
                          for (int64_t p = begin; p < end; ++p)
                              y[static_cast<size_t>(p)] = size ? static_cast<float>(bg::interleavedSum(src + p * size, size) / double(size)) : 0.0f;
                      });
                      return bg::outputs(bg::makeTensor(g.outShape, std::move(y), g.elemType));
                  },
                  {}});
}
