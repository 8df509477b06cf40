// Cast: converts to the ONNX element type in attribute `to` (see kernels/elementwise_cast.h for
// how narrow and 16-bit types are represented).
#include "runtime/kernels/elementwise_cast.h"
#include "runtime/op_registry.h"

void bg_register_cast(bg::OpRegistry& registry)
{
    registry.add({"Cast",
                  [](const bg::KernelContext& ctx) {
                      return bg::outputs(bg::castTensor(ctx, ctx.in(0), ctx.node.attrInt("to")));
                  },
                  {}});
}
