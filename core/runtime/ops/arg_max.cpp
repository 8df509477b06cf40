// ArgMax: int64 index of the extreme value along `axis` (first one unless select_last_index).
#include "runtime/kernels/axis_reduce.h"
#include "runtime/op_registry.h"

void bg_register_arg_max(bg::OpRegistry& registry)
{
    registry.add({"ArgMax",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::argReduce(ctx, ctx.in(0), true));
                  },
                  {}});
}
