// Conv: grouped / depthwise / dilated N-d convolution with optional bias (1 to 3 spatial axes).
// Fast path: oneDNN convolution_forward; configurations it refuses run the reference loops. Fused
// operators after it (KernelContext::fusedPostOps) run as the primitive's eltwise post-ops.
#include "runtime/kernels/conv_setup.h"
#include "runtime/kernels/dnnl_conv.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/node_memo.h"
#include "runtime/op_registry.h"

#include <memory>

namespace {

// What prepareConv and oneDNN derive for one Conv node from its attributes and shapes, kept in the
// node's memo (runtime/node_memo.h) so that the next run of the same shapes skips both: attribute
// parsing, geometry, the primitive's dims and its cache lookup were a tenth of the classifier's run
// (single thread, AVX2 EPYC). Valid for the shapes of X, W and B it was made for and the same
// fused post-ops; the data pointers are taken from the inputs on every call.
struct ConvNodePlan {
    bg::Shape x, w, b;
    bool hasB = false;
    const bg::ConvPostOps* fused = nullptr;
    bg::ConvShape shape;
    bg::Shape outShape;
    std::shared_ptr<const bg::DnnlConvPlan> dnnl;  // nullptr: oneDNN refused, the reference runs

    ConvNodePlan(const bg::KernelContext& ctx, const bg::ConvCall& c, std::shared_ptr<const bg::DnnlConvPlan> plan)
        : x(xShapeOf(ctx, c)), w(ctx.in(1).shape()), hasB(ctx.optIn(2) != nullptr),
          fused(ctx.fusedPostOps), shape(c.shape), outShape(c.outShape), dnnl(std::move(plan))
    {
        if (hasB)
            b = ctx.optIn(2)->shape();
    }

    bool fits(const bg::KernelContext& ctx, const bg::Shape& xShape) const
    {
        const bg::Tensor* bias = ctx.optIn(2);
        return xShape == x && ctx.in(1).shape() == w && (bias != nullptr) == hasB && (!bias || bias->shape() == b)
            && ctx.fusedPostOps == fused;
    }

    // prepareConv's result for inputs that fit: the checks it made hold for these shapes; the
    // element types are checked again (a float16 W behind the same shape is refused as before).
    bg::ConvCall call(const bg::KernelContext& ctx) const
    {
        bg::ConvCall c;
        c.shape = shape;
        c.outShape = outShape;
        const bg::Tensor* xt = ctx.inputs.empty() ? nullptr : ctx.inputs[0];
        if (xt) {
            bg::requireFloat(ctx, *xt, "X");
            c.x = xt->floats().data();
            c.elemType = xt->elemType();
        }
        bg::requireFloat(ctx, ctx.in(1), "W");
        c.w = ctx.in(1).floats().data();
        if (const bg::Tensor* bias = ctx.optIn(2)) {
            bg::requireFloat(ctx, *bias, "B");
            c.bias = bias->floats().data();
        }
        return c;
    }

    static bg::Shape xShapeOf(const bg::KernelContext& ctx, const bg::ConvCall& c)
    {
        const bg::Tensor* xt = ctx.inputs.empty() ? nullptr : ctx.inputs[0];
        if (xt)
            return xt->shape();
        bg::Shape s{c.shape.batch, c.shape.inChannels};
        s.insert(s.end(), c.shape.geo.in.begin(), c.shape.geo.in.end());
        return s;
    }
};

std::vector<bg::Tensor> convKernel(const bg::KernelContext& ctx, bool fast)
{
    bg::ConvHandoff* h = fast ? ctx.handoff : nullptr;
    const bool handedIn = h && bg::hasMemory(h->src);
    const bg::Shape handedShape = handedIn ? bg::dnnlDims(h->src) : bg::Shape{};
    std::shared_ptr<const ConvNodePlan> plan = h && h->memo ? h->memo->get<ConvNodePlan>() : nullptr;
    if (plan && !plan->fits(ctx, handedIn ? handedShape : ctx.in(0).shape()))
        plan.reset();
    bg::ConvCall c = plan ? plan->call(ctx) : bg::prepareConv(ctx, false, handedIn ? &handedShape : nullptr);
    if (handedIn)
        c.elemType = h->srcElemType;
    std::vector<float> y;
    if (fast) {
        const bool keep = h && h->keepDst;
        if (!keep)
            y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        if (h && h->memo && !plan) {
            plan = std::make_shared<const ConvNodePlan>(ctx, c, bg::dnnlConvPlan(c.shape, c.bias != nullptr, ctx.fusedPostOps));
            h->memo->set(plan);
        }
        const bool ran = plan ? plan->dnnl && bg::dnnlConvolutionPlanned(*plan->dnnl, *h, c.x, c.w, c.bias, y.data(), ctx.fusedPostOps)
                       : h    ? bg::dnnlConvolutionHandoff(c.shape, *h, c.x, c.w, c.bias, y.data(), ctx.fusedPostOps)
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
