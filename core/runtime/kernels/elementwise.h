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
#include <type_traits>
#include <utility>
#include <vector>

namespace bg {

// Two's-complement integer arithmetic: ONNX integer overflow wraps; C++ signed overflow is UB.
inline int64_t wrapAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
inline int64_t wrapSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
inline int64_t wrapMul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }
inline int64_t wrapNeg(int64_t a) { return static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(a)); }

// v[i] = f(v[i]), split across threads for big tensors.
template <class F> void mapFloatsInPlace(std::span<float> v, F&& f)
{
    parallelRanges(static_cast<int64_t>(v.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            v[static_cast<size_t>(i)] = f(v[static_cast<size_t>(i)]);
    });
}

// y = f(x) on a float tensor; in x's own storage when this node is x's last reader.
template <class F> Tensor mapFloat(const KernelContext& ctx, const Tensor& x, F&& f)
{
    requireFloat(ctx, x);
    Tensor y = ctx.takeOrCopyOf(x);
    mapFloatsInPlace(y.floats(), f);
    return y;
}

// y = ff(x) on float tensors, fi(x) on integer tensors; in place as mapFloat.
template <class FF, class FI> Tensor mapNumeric(const KernelContext& ctx, const Tensor& x, FF&& ff, FI&& fi)
{
    Tensor y = ctx.takeOrCopyOf(x);
    if (y.isFloat())
        mapFloatsInPlace(y.floats(), ff);
    else
        for (int64_t& v : y.ints())
            v = fi(v);
    return y;
}

// a (op) b over the broadcast shape, T = float or int64_t. The result is written into a's (else b's)
// storage when this node is that operand's last reader and it has the result's shape.
template <class T, class F>
Tensor arithmeticBinaryOf(const KernelContext& ctx, const Tensor& a, const Tensor& b, F&& f)
{
    Shape shape = broadcastShapes(ctx, {a.shape(), b.shape()});
    auto data = [](const Tensor& t) {
        if constexpr (std::is_same_v<T, float>)
            return t.floats().data();
        else
            return t.ints().data();
    };
    const int32_t elemType = a.elemType();
    for (const Tensor* own : {&a, &b}) {
        if (own->shape() != shape || (own == &b && &a == &b))
            continue;
        Tensor* dying = ctx.takeableOf(*own);
        if (!dying)
            continue;
        // After the move `own` is empty: read its elements through y, its shape is `shape`.
        const Shape sa = own == &a ? shape : a.shape();
        const Shape sb = own == &b ? shape : b.shape();
        Tensor y = std::move(*dying);
        T* out = const_cast<T*>(data(y));
        broadcastBinaryInto(out, own == &a ? out : data(a), sa, own == &b ? out : data(b), sb, shape, f);
        y.setElemType(elemType);
        return y;
    }
    auto v = broadcastBinary<T>(ctx, data(a), a.shape(), data(b), b.shape(), shape, f);
    return makeTensor(std::move(shape), std::move(v), elemType);
}

// Broadcasting a (op) b for operands of the same dtype; the result keeps a's element type.
template <class FF, class FI>
Tensor arithmeticBinary(const KernelContext& ctx, const Tensor& a, const Tensor& b, FF&& ff, FI&& fi)
{
    requireSameDType(ctx, a, b);
    if (a.isFloat())
        return arithmeticBinaryOf<float>(ctx, a, b, ff);
    return arithmeticBinaryOf<int64_t>(ctx, a, b, fi);
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
                 [fn](const KernelContext& ctx) { return outputs(mapFloat(ctx, ctx.in(0), fn)); },
                 {}};
}

// OpDef for a unary function defined on floats and integers.
template <class FF, class FI> OpDef unaryNumericOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) { return outputs(mapNumeric(ctx, ctx.in(0), ff, fi)); },
                 {}};
}

// OpDef for a broadcasting binary arithmetic operator.
template <class FF, class FI> OpDef binaryArithmeticOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) {
                     return outputs(arithmeticBinary(ctx, ctx.in(0), ctx.in(1), ff, fi));
                 },
                 {}};
}

// OpDef for a broadcasting comparison.
template <class FF, class FI> OpDef comparisonOp(std::string opType, FF ff, FI fi)
{
    return OpDef{std::move(opType),
                 [ff, fi](const KernelContext& ctx) {
                     return outputs(compareBinary(ctx, ctx.in(0), ctx.in(1), ff, fi));
                 },
                 {}};
}

} // namespace bg
