// Softmax over the axis groups described in kernels/axis_softmax.h (opset < 13: coerced to 2-D).
#include "runtime/kernels/axis_softmax.h"
#include "runtime/op_registry.h"

void bg_register_softmax(bg::OpRegistry& registry)
{
    registry.add({"Softmax",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::softmaxFamily(ctx, ctx.in(0), bg::SoftmaxKind::Softmax));
                  },
                  {}});
}
