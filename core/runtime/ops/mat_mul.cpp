// MatMul: numpy matmul. 1-D operands get a temporary 1 (prepended for A, appended for B) that the
// result drops; batch dims broadcast. Fast path: oneDNN matmul on the broadcast-expanded batch.
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/matmul_kernels.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <array>

namespace {

// Copies the batch matrices of `src` (batch shape `from`) out to the full batch shape `to`.
std::vector<float> expandBatch(const float* src, const bg::Shape& from, const bg::Shape& to, int64_t matrixSize)
{
    const std::array<std::vector<int64_t>, 1> strides{bg::broadcastStrides(from, to)};
    std::vector<float> out(static_cast<size_t>(bg::shapeNumel(to) * matrixSize));
    bg::forEachBroadcast<1>(to, strides, [&](int64_t o, const std::array<int64_t, 1>& off) {
        std::copy(src + off[0] * matrixSize, src + (off[0] + 1) * matrixSize, out.begin() + o * matrixSize);
    });
    return out;
}

std::vector<bg::Tensor> matMulKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::Tensor& a = ctx.in(0);
    const bg::Tensor& b = ctx.in(1);
    bg::requireFloat(ctx, a, "A");
    bg::requireFloat(ctx, b, "B");
    if (a.rank() == 0 || b.rank() == 0)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "MatMul operands must have rank >= 1, got "
                                                   + bg::shapeToString(a.shape()) + " and " + bg::shapeToString(b.shape()));
    bg::Shape sa = a.shape(), sb = b.shape();
    const bool aVector = sa.size() == 1, bVector = sb.size() == 1;
    if (aVector)
        sa.insert(sa.begin(), 1);
    if (bVector)
        sb.push_back(1);
    bg::MatMulProblem p;
    p.m = sa[sa.size() - 2];
    p.k = sa.back();
    p.n = sb.back();
    if (sb[sb.size() - 2] != p.k)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "inner dimensions differ: A " + bg::shapeToString(a.shape()) + ", B "
                                                   + bg::shapeToString(b.shape()));
    const bg::Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
    const bg::Shape batch = bg::broadcastShapes(ctx, {batchA, batchB});
    bg::Shape outShape = batch;
    if (!aVector)
        outShape.push_back(p.m);
    if (!bVector)
        outShape.push_back(p.n);
    bg::checkedNumel(ctx, outShape);
    p.batch = bg::shapeNumel(batch);

    // Expanded copies only where an operand's batch is broadcast.
    const float* pa = a.floats().data();
    const float* pb = b.floats().data();
    std::vector<float> ea, eb;
    const bool sameBatch = batchA == batch && batchB == batch;
    if (!sameBatch && bg::shapeNumel(batchB) == 1 && batchA == batch) {
        // [..., M, K] x [K, N]: one big [batch*M, K] x [K, N] product.
        p.m *= p.batch;
        p.batch = 1;
    } else if (!sameBatch) {
        if (batchA != batch) {
            bg::checkedNumel(ctx, {p.batch, p.m, p.k}, "broadcast A");
            ea = expandBatch(pa, batchA, batch, p.m * p.k);
            pa = ea.data();
        }
        if (batchB != batch) {
            bg::checkedNumel(ctx, {p.batch, p.k, p.n}, "broadcast B");
            eb = expandBatch(pb, batchB, batch, p.k * p.n);
            pb = eb.data();
        }
    }
    std::vector<float> y(static_cast<size_t>(p.batch * p.m * p.n));
    const bool ran = fast && bg::dnnlMatMul(p, pa, pb, y.data());
    if (fast)
        ctx.tookFastPath(ran);
    if (!ran)
        bg::matMulReference(p, pa, pb, y.data());
    return bg::outputs(bg::makeTensor(outShape, std::move(y), a.elemType()));
}

} // namespace

void bg_register_mat_mul(bg::OpRegistry& registry)
{
    registry.add({"MatMul", [](const bg::KernelContext& ctx) { return matMulKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return matMulKernel(ctx, true); }});
}
