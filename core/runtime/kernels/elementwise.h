#pragma once
// Building blocks for element-wise operators, so that each runtime/ops/<op>.cpp stays a few lines:
// unary maps, broadcasting binary arithmetic and comparisons, and variadic folds (Sum, Max ...).
// Results keep the dtype and ONNX element type of the first operand; comparisons return bool
// (int64 0/1 with element type BOOL).
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bg {

// Two's-complement integer arithmetic: ONNX integer overflow wraps; C++ signed overflow is UB.
inline int64_t wrapAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
inline int64_t wrapSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
inline int64_t wrapMul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }
inline int64_t wrapNeg(int64_t a) { return static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(a)); }

// y = f(x) on a float tensor.
template <class F> Tensor mapFloat(const KernelContext& ctx, const Tensor& x, F&& f)
{
    requireFloat(ctx, x);
    Tensor y = x;
    for (float& v : y.floats())
        v = f(v);
    return y;
}

// y = ff(x) on float tensors, fi(x) on integer tensors.
template <class FF, class FI> Tensor mapNumeric(const Tensor& x, FF&& ff, FI&& fi)
{
    Tensor y = x;
    if (y.isFloat())
        for (float& v : y.floats())
            v = ff(v);
    else
        for (int64_t& v : y.ints())
            v = fi(v);
    return y;
}

// Broadcasting a (op) b for operands of the same dtype; the result keeps a's element type.
template <class FF, class FI>
Tensor arithmeticBinary(const KernelContext& ctx, const Tensor& a, const Tensor& b, FF&& ff, FI&& fi)
{
    requireSameDType(ctx, a, b);
    Shape shape;
    if (a.isFloat()) {
        auto v = broadcastBinary<float>(ctx, a.floats().data(), a.shape(), b.floats().data(), b.shape(), shape, ff);
        return makeTensor(std::move(shape), std::move(v), a.elemType());
    }
    auto v = broadcastBinary<int64_t>(ctx, a.ints().data(), a.shape(), b.ints().data(), b.shape(), shape, fi);
    return makeTensor(std::move(shape), std::move(v), a.elemType());
}

// Broadcasting comparison; the result is bool.
template <class FF, class FI>
Tensor compareBinary(const KernelContext& ctx, const Tensor& a, const Tensor& b, FF&& ff, FI&& fi)
{
    requireSameDType(ctx, a, b);
    Shape shape;
    std::vector<int64_t> v;
    if (a.isFloat())
        v = broadcastBinary<int64_t>(ctx, a.floats().data(), a.shape(), b.floats().data(), b.shape(), shape,
                                     [&](float x, float y) { return int64_t{ff(x, y) ? 1 : 0}; });
    else
        v = broadcastBinary<int64_t>(ctx, a.ints().data(), a.shape(), b.ints().data(), b.shape(), shape,
                                     [&](int64_t x, int64_t y) { return int64_t{fi(x, y) ? 1 : 0}; });
    return makeTensor(std::move(shape), std::move(v), kOnnxBool);
}

// Left fold of a binary operation over all (non-omitted) inputs: Sum, Max, Min, Mean's sum.
template <class FF, class FI> Tensor foldInputs(const KernelContext& ctx, FF&& ff, FI&& fi)
{
    const Tensor* acc = nullptr;
    Tensor result;
    for (size_t i = 0; i < ctx.numInputs(); ++i) {
        if (!ctx.has(i))
            continue;
        if (!acc) {
            result = *ctx.inputs[i];
        } else {
            result = arithmeticBinary(ctx, result, *ctx.inputs[i], ff, fi);
        }
        acc = &result;
    }
    if (!acc)
        ctx.fail(ErrorCode::InvalidModel, "needs at least one input");
    return result;
}

// OpDef for a float-only unary function of x.
template <class F> OpDef unaryFloatOp(std::string opType, F fn)
{
    return OpDef{std::move(opType),
                 [fn](const KernelContext& ctx) { return std::vector<Tensor>{mapFloat(ctx, ctx.in(0), fn)}; },
                 {}};
}

// OpDef for a unary function defined on floats and integers.
template <class FF, class FI> OpDef unaryNumericOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) { return std::vector<Tensor>{mapNumeric(ctx.in(0), ff, fi)}; },
                 {}};
}

// OpDef for a broadcasting binary arithmetic operator.
template <class FF, class FI> OpDef binaryArithmeticOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) {
                     return std::vector<Tensor>{arithmeticBinary(ctx, ctx.in(0), ctx.in(1), ff, fi)};
                 },
                 {}};
}

// OpDef for a broadcasting comparison.
template <class FF, class FI> OpDef comparisonOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) {
                     return std::vector<Tensor>{compareBinary(ctx, ctx.in(0), ctx.in(1), ff, fi)};
                 },
                 {}};
}

} // namespace bg
