// CastLike (opset 15): converts input 0 to the element type of input 1.
#include "runtime/kernels/elementwise_cast.h"
#include "runtime/op_registry.h"

void bg_register_cast_like(bg::OpRegistry& registry)
{
    registry.add({"CastLike",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::castTensor(ctx, ctx.in(0), ctx.in(1).elemType()));
                  },
                  {}});
}
