// ReduceL1 over the given axes (all when none); keepdims and axes handling in kernels/axis_reduce.h.
#include "runtime/kernels/axis_reduce.h"
#include "runtime/op_registry.h"

void bg_register_reduce_l1(bg::OpRegistry& registry)
{
    registry.add({"ReduceL1",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::reduceAxes(ctx, ctx.in(0), bg::ReduceKind::L1));
                  },
                  {}});
}
