// LogSoftmax over the axis groups described in kernels/axis_softmax.h (opset < 13: coerced to 2-D).
#include "runtime/kernels/axis_softmax.h"
#include "runtime/op_registry.h"

void bg_register_log_softmax(bg::OpRegistry& registry)
{
    registry.add({"LogSoftmax",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::softmaxFamily(ctx, ctx.in(0), bg::SoftmaxKind::LogSoftmax));
                  },
                  {}});
}
