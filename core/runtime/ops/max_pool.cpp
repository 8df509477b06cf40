// MaxPool: pads, strides, dilations, ceil_mode, auto_pad, and the optional Indices output
// (storage_order 0 row-major / 1 column-major). Fast path: oneDNN pooling, unless Indices are asked
// for (only the reference kernel computes them).
#include "runtime/kernels/dnnl_pool.h"
#include "runtime/kernels/pool_setup.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

namespace {

std::vector<bg::Tensor> maxPoolKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::PoolCall c = bg::preparePool(ctx, true, true);
    const bool wantIndices = ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty();
    const int64_t storageOrder = ctx.node.attrInt("storage_order", 0);
    if (storageOrder != 0 && storageOrder != 1)
        ctx.fail(bg::ErrorCode::BadAttribute, "storage_order must be 0 or 1, got " + std::to_string(storageOrder));
    if (!c.x) {
        // Integer data (int8/uint8 models): reference loops, same for both kernel choices.
        if (fast)
            ctx.tookFastPath(false);
        std::vector<int64_t> indices;
        std::vector<int64_t> y = bg::maxPoolReferenceInt(c.shape, c.input->ints().data(),
                                                         wantIndices ? &indices : nullptr, storageOrder == 1);
        std::vector<bg::Tensor> outs{bg::makeTensor(c.outShape, std::move(y), c.elemType)};
        if (wantIndices)
            outs.push_back(bg::makeTensor(c.outShape, std::move(indices), bg::kOnnxInt64));
        return outs;
    }
    if (wantIndices) {
        if (fast)
            ctx.tookFastPath(false);
        std::vector<int64_t> indices;
        std::vector<float> y = bg::maxPoolReference(c.shape, c.x, &indices, storageOrder == 1);
        return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType),
                bg::makeTensor(c.outShape, std::move(indices), bg::kOnnxInt64));
    }
    std::vector<float> y;
    if (fast) {
        y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        const bool ran = bg::dnnlPool(c.shape, bg::PoolKind::Max, c.x, y.data());
        ctx.tookFastPath(ran);
        if (!ran)
            y = bg::maxPoolReference(c.shape, c.x, nullptr, false);
    } else {
        y = bg::maxPoolReference(c.shape, c.x, nullptr, false);
    }
    return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType));
}

} // namespace

void bg_register_max_pool(bg::OpRegistry& registry)
{
    registry.add({"MaxPool", [](const bg::KernelContext& ctx) { return maxPoolKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return maxPoolKernel(ctx, true); }});
}
