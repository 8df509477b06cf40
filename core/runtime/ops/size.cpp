// Size: the input's element count as an int64 scalar.
#include "runtime/op_registry.h"

void bg_register_size(bg::OpRegistry& registry)
{
    registry.add({"Size",
                  [](const bg::KernelContext& ctx) { return bg::outputs(bg::Tensor::scalarInt(ctx.in(0).numel())); },
                  {}});
}
