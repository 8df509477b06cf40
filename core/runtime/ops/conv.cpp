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
    bg::ConvHandoff* h = fast ? ctx.handoff : nullptr;
    const bool handedIn = h && bg::hasMemory(h->src);
    const bg::Shape handedShape = handedIn ? bg::dnnlDims(h->src) : bg::Shape{};
    bg::ConvCall c = bg::prepareConv(ctx, false, handedIn ? &handedShape : nullptr);
    if (handedIn)
        c.elemType = h->srcElemType;
    std::vector<float> y;
    if (fast) {
        const bool keep = h && h->keepDst;
        if (!keep)
            y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        const bool ran = h ? bg::dnnlConvolutionHandoff(c.shape, *h, c.x, c.w, c.bias, y.data(), ctx.fusedPostOps)
                           : bg::dnnlConvolution(c.shape, c.x, c.w, c.bias, y.data(), ctx.fusedPostOps);
        ctx.tookFastPath(ran);
        if (ctx.fusedPostOps && ctx.paths)
            ++ctx.paths->fused;
        if (ran && keep) {
            h->dstElemType = c.elemType;
            return bg::outputs(bg::Tensor());  // the output is h->dst
        }
        if (!ran) {
            std::vector<float> plainX;
            if (handedIn)
                plainX = bg::dnnlToPlainValues(h->src);
            y = bg::convReference(c.shape, handedIn ? plainX.data() : c.x, c.w, c.bias);
            if (ctx.fusedPostOps)
                bg::applyConvPostOps(*ctx.fusedPostOps, y, c.outShape[1], c.shape.geo.outSize());
        }
    } else {
        y = bg::convReference(c.shape, c.x, c.w, c.bias);
        if (ctx.fusedPostOps)  // the runtime fuses on the fast path only; honoured here all the same
            bg::applyConvPostOps(*ctx.fusedPostOps, y, c.outShape[1], c.shape.geo.outSize());
    }
    return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType));
}

} // namespace

void bg_register_conv(bg::OpRegistry& registry)
{
    registry.add({"Conv", [](const bg::KernelContext& ctx) { return convKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return convKernel(ctx, true); }});
}
