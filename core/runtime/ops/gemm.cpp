// Gemm: Y = alpha * op(A) * op(B) + beta * C, with transA / transB and C broadcast
// unidirectionally to [M, N] (C optional from opset 11). Fast path: oneDNN matmul for the product.
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/matmul_kernels.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <array>

namespace {

std::vector<bg::Tensor> gemmKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::Tensor& a = ctx.in(0);
    const bg::Tensor& b = ctx.in(1);
    bg::requireFloat(ctx, a, "A");
    bg::requireFloat(ctx, b, "B");
    if (a.rank() != 2 || b.rank() != 2)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "A and B must be matrices, got " + bg::shapeToString(a.shape())
                                                   + " and " + bg::shapeToString(b.shape()));
    bg::MatMulProblem p;
    p.transA = ctx.node.attrInt("transA", 0) != 0;
    p.transB = ctx.node.attrInt("transB", 0) != 0;
    p.alpha = ctx.node.attrFloat("alpha", 1.0f);
    const float beta = ctx.node.attrFloat("beta", 1.0f);
    p.m = p.transA ? a.dim(1) : a.dim(0);
    p.k = p.transA ? a.dim(0) : a.dim(1);
    p.n = p.transB ? b.dim(0) : b.dim(1);
    const int64_t kb = p.transB ? b.dim(1) : b.dim(0);
    if (kb != p.k)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "inner dimensions differ: A " + bg::shapeToString(a.shape())
                                                   + (p.transA ? " (transposed)" : "") + ", B "
                                                   + bg::shapeToString(b.shape()) + (p.transB ? " (transposed)" : ""));
    const bg::Shape outShape{p.m, p.n};
    bg::checkedNumel(ctx, outShape);
    std::vector<float> y(static_cast<size_t>(p.m * p.n));
    const float* pa = a.floats().data();
    const float* pb = b.floats().data();
    const bool ran = fast && bg::dnnlMatMul(p, pa, pb, y.data());
    if (fast)
        ctx.tookFastPath(ran);
    if (!ran)
        bg::matMulReference(p, pa, pb, y.data());

    if (const bg::Tensor* c = ctx.optIn(2); c && beta != 0.0f) {
        bg::requireFloat(ctx, *c, "C");
        if (!bg::broadcastsTo(c->shape(), outShape))
            ctx.fail(bg::ErrorCode::ShapeMismatch, "C " + bg::shapeToString(c->shape()) + " does not broadcast to "
                                                       + bg::shapeToString(outShape));
        const float* pc = c->floats().data();
        const std::array<std::vector<int64_t>, 1> strides{bg::broadcastStrides(c->shape(), outShape)};
        bg::forEachBroadcast<1>(outShape, strides, [&](int64_t o, const std::array<int64_t, 1>& off) {
            y[static_cast<size_t>(o)] += beta * pc[off[0]];
        });
    }
    return bg::outputs(bg::makeTensor(outShape, std::move(y), a.elemType()));
}

} // namespace

void bg_register_gemm(bg::OpRegistry& registry)
{
    registry.add({"Gemm", [](const bg::KernelContext& ctx) { return gemmKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return gemmKernel(ctx, true); }});
}
