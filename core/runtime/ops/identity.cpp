// Identity: y = x, any dtype.
#include "runtime/op_registry.h"

void bg_register_identity(bg::OpRegistry& registry)
{
    registry.add({"Identity", [](const bg::KernelContext& ctx) { return bg::outputs(ctx.takeOrCopy(0)); }, {}});
}
