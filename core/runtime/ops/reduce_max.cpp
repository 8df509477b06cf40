// ReduceMax over the given axes (all when none); keepdims and axes handling in kernels/axis_reduce.h.
#include "runtime/kernels/axis_reduce.h"
#include "runtime/op_registry.h"

void bg_register_reduce_max(bg::OpRegistry& registry)
{
    registry.add({"ReduceMax",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::reduceAxes(ctx, ctx.in(0), bg::ReduceKind::Max));
                  },
                  {}});
}
