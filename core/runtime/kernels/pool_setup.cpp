#include "runtime/kernels/pool_setup.h"

#include "runtime/kernels/shape_util.h"

namespace bg {

PoolCall preparePool(const KernelContext& ctx, bool withDilations, bool allowInt)
{
    const Tensor& x = ctx.in(0);
    if (!allowInt)
        requireFloat(ctx, x, "X");
    if (x.rank() < 3 || x.rank() > 5)
        ctx.fail(ErrorCode::ShapeMismatch, "X must be N x C x D1 [x D2 [x D3]], got " + shapeToString(x.shape()));
    const int64_t ceil = ctx.node.attrInt("ceil_mode", 0);
    PoolCall call;
    call.shape.batch = x.dim(0);
    call.shape.channels = x.dim(1);
    const std::vector<int64_t> inSpatial(x.shape().begin() + 2, x.shape().end());
    call.shape.geo = windowGeometry(ctx, inSpatial, kernelShape(ctx, {}), ceil != 0, withDilations);
    call.outShape = {call.shape.batch, call.shape.channels};
    call.outShape.insert(call.outShape.end(), call.shape.geo.out.begin(), call.shape.geo.out.end());
    checkedNumel(ctx, call.outShape);
    call.input = &x;
    call.x = x.isFloat() ? x.floats().data() : nullptr;
    call.elemType = x.elemType();
    return call;
}

GlobalPoolCall prepareGlobalPool(const KernelContext& ctx)
{
    const Tensor& x = ctx.in(0);
    requireFloat(ctx, x, "X");
    if (x.rank() < 3)
        ctx.fail(ErrorCode::ShapeMismatch, "X must be N x C x D1 ..., got " + shapeToString(x.shape()));
    GlobalPoolCall call;
    call.outShape.assign(static_cast<size_t>(x.rank()), 1);
    call.outShape[0] = x.dim(0);
    call.outShape[1] = x.dim(1);
    call.planes = x.dim(0) * x.dim(1);
    call.size = call.planes == 0 ? 0 : x.numel() / call.planes;
    call.x = x.floats().data();
    call.elemType = x.elemType();
    return call;
}

} // namespace bg
