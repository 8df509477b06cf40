#include "runtime/kernels/conv_setup.h"

#include "runtime/kernels/shape_util.h"

namespace bg {

ConvCall prepareConv(const KernelContext& ctx, bool transpose, const Shape* handedShape)
{
    const Tensor* xt = handedShape ? nullptr : &ctx.in(0);
    const Shape& xShape = handedShape ? *handedShape : xt->shape();
    const int xRank = static_cast<int>(xShape.size());
    const Tensor& w = ctx.in(1);
    if (xt)
        requireFloat(ctx, *xt, "X");
    requireFloat(ctx, w, "W");
    if (xRank < 3 || xRank > 5)
        ctx.fail(ErrorCode::ShapeMismatch, "X must be N x C x D1 [x D2 [x D3]], got " + shapeToString(xShape));
    if (w.rank() != xRank)
        ctx.fail(ErrorCode::ShapeMismatch, "W " + shapeToString(w.shape()) + " must have the rank of X "
                                               + shapeToString(xShape));
    const int64_t group = ctx.node.attrInt("group", 1);
    if (group < 1)
        ctx.fail(ErrorCode::BadAttribute, "group must be >= 1, got " + std::to_string(group));

    ConvCall call;
    ConvShape& s = call.shape;
    s.batch = xShape[0];
    s.inChannels = xShape[1];
    s.group = group;
    if (s.inChannels % group != 0)
        ctx.fail(ErrorCode::ShapeMismatch, "input channels " + std::to_string(s.inChannels)
                                               + " are not divisible by group " + std::to_string(group));
    if (transpose) {
        // W [C, M/group, k...]
        if (w.dim(0) != s.inChannels)
            ctx.fail(ErrorCode::ShapeMismatch, "W " + shapeToString(w.shape()) + " must have " +
                                                   std::to_string(s.inChannels) + " rows (input channels)");
        s.outChannels = w.dim(1) * group;
    } else {
        // W [M, C/group, k...]
        if (w.dim(1) * group != s.inChannels)
            ctx.fail(ErrorCode::ShapeMismatch, "W " + shapeToString(w.shape()) + " with group "
                                                   + std::to_string(group) + " does not fit " +
                                                   std::to_string(s.inChannels) + " input channels");
        s.outChannels = w.dim(0);
        if (s.outChannels % group != 0)
            ctx.fail(ErrorCode::ShapeMismatch, "output channels " + std::to_string(s.outChannels)
                                                   + " are not divisible by group " + std::to_string(group));
    }
    const std::vector<int64_t> inSpatial(xShape.begin() + 2, xShape.end());
    const std::vector<int64_t> wSpatial(w.shape().begin() + 2, w.shape().end());
    const std::vector<int64_t> kernel = kernelShape(ctx, wSpatial);
    s.geo = transpose ? transposeGeometry(ctx, inSpatial, kernel) : windowGeometry(ctx, inSpatial, kernel, false, true);

    if (const Tensor* b = ctx.optIn(2)) {
        requireFloat(ctx, *b, "B");
        if (b->numel() != s.outChannels || b->rank() != 1)
            ctx.fail(ErrorCode::ShapeMismatch, "B " + shapeToString(b->shape()) + " must be [" +
                                                   std::to_string(s.outChannels) + "] (one bias per output channel)");
        call.bias = b->floats().data();
    }
    call.outShape = {s.batch, s.outChannels};
    call.outShape.insert(call.outShape.end(), s.geo.out.begin(), s.geo.out.end());
    checkedNumel(ctx, call.outShape);
    call.x = xt ? xt->floats().data() : nullptr;
    call.w = w.floats().data();
    call.elemType = xt ? xt->elemType() : 1;
    return call;
}

} // namespace bg
