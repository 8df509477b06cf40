// Conv: grouped / depthwise / dilated N-d convolution with optional bias (1 to 3 spatial axes).
// Fast path: oneDNN convolution_forward; configurations it refuses run the reference loops. Fused
// operators after it (KernelContext::fusedPostOps) run as the primitive's eltwise post-ops.
#include "runtime/kernels/conv_setup.h"
#include "runtime/kernels/dnnl_conv.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

namespace {

std::vector<bg::Tensor> convKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::ConvCall c = bg::prepareConv(ctx, false);
    std::vector<float> y;
    if (fast) {
        y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        const bool ran = bg::dnnlConvolution(c.shape, c.x, c.w, c.bias, y.data(), ctx.fusedPostOps);
        ctx.tookFastPath(ran);
        if (!ran) {
            y = bg::convReference(c.shape, c.x, c.w, c.bias);
            if (ctx.fusedPostOps)
                bg::applyConvPostOps(*ctx.fusedPostOps, y);
        }
        if (ctx.fusedPostOps && ctx.paths)
            ++ctx.paths->fused;
    } else {
        y = bg::convReference(c.shape, c.x, c.w, c.bias);
        if (ctx.fusedPostOps)  // the runtime fuses on the fast path only; honoured here all the same
            bg::applyConvPostOps(*ctx.fusedPostOps, y);
    }
    return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType));
}

} // namespace

void bg_register_conv(bg::OpRegistry& registry)
{
    registry.add({"Conv", [](const bg::KernelContext& ctx) { return convKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return convKernel(ctx, true); }});
}
