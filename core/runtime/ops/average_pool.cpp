// AveragePool: pads, strides, ceil_mode, auto_pad, count_include_pad, dilations (opset 19).
// Fast path: oneDNN pooling; configurations whose divisor oneDNN would count differently run the
// reference loops.
#include "runtime/kernels/dnnl_pool.h"
#include "runtime/kernels/pool_setup.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

namespace {

std::vector<bg::Tensor> averagePoolKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::PoolCall c = bg::preparePool(ctx, true);
    const bool includePad = ctx.node.attrInt("count_include_pad", 0) != 0;
    std::vector<float> y;
    if (fast) {
        y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        const bg::PoolKind kind = includePad ? bg::PoolKind::AverageIncludePad : bg::PoolKind::AverageExcludePad;
        const bool ran = bg::dnnlPool(c.shape, kind, c.x, y.data());
        ctx.tookFastPath(ran);
        if (!ran)
            y = bg::averagePoolReference(c.shape, c.x, includePad);
    } else {
        y = bg::averagePoolReference(c.shape, c.x, includePad);
    }
    return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType));
}

} // namespace

void bg_register_average_pool(bg::OpRegistry& registry)
{
    registry.add({"AveragePool", [](const bg::KernelContext& ctx) { return averagePoolKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return averagePoolKernel(ctx, true); }});
}
