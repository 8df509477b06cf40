#include "runtime/kernels/shape_util.h"

#include <cmath>
#include <limits>

namespace bg {

int64_t checkedNumel(const KernelContext& ctx, const Shape& shape, const char* what)
{
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0)
            ctx.fail(ErrorCode::ShapeMismatch,
                     std::string(what) + " shape " + shapeToString(shape) + " has a negative dimension");
        if (d != 0 && n > ctx.maxElements / d)
            ctx.fail(ErrorCode::TensorTooLarge, std::string(what) + " shape " + shapeToString(shape)
                                                    + " exceeds the limit of " + std::to_string(ctx.maxElements)
                                                    + " elements");
        n *= d;
    }
    if (n > ctx.maxElements)
        ctx.fail(ErrorCode::TensorTooLarge, std::string(what) + " shape " + shapeToString(shape) + " is too large");
    return n;
}

Tensor zerosLike(const KernelContext& ctx, const Tensor& like, const Shape& shape)
{
    checkedNumel(ctx, shape);
    Tensor t = Tensor::zeros(like.dtype(), shape);
    t.setElemType(like.elemType());
    return t;
}

int64_t floatToInt64(double v)
{
    if (std::isnan(v))
        return 0;
    // 2^63 is exactly representable; anything at or beyond it saturates.
    constexpr double limit = 9223372036854775808.0;
    if (v >= limit)
        return std::numeric_limits<int64_t>::max();
    if (v < -limit)
        return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v);
}

std::vector<int64_t> inputInts(const KernelContext& ctx, size_t i, const char* what)
{
    const Tensor& t = ctx.in(i);
    if (!t.isFloat())
        return std::vector<int64_t>(t.ints().begin(), t.ints().end());
    std::vector<int64_t> out;
    out.reserve(static_cast<size_t>(t.numel()));
    for (float v : t.floats()) {
        if (!std::isfinite(v) || v != std::trunc(v))
            ctx.fail(ErrorCode::BadInput, std::string(what) + " must hold integers, found " + std::to_string(v));
        out.push_back(floatToInt64(v));
    }
    return out;
}

std::vector<float> inputFloats(const KernelContext& ctx, size_t i, const char* /*what*/)
{
    return ctx.in(i).toFloatVector();
}

float inputScalarFloat(const KernelContext& ctx, size_t i, const char* what)
{
    const Tensor& t = ctx.in(i);
    if (t.numel() != 1)
        ctx.fail(ErrorCode::ShapeMismatch, std::string(what) + " must be a scalar, got shape " + shapeToString(t.shape()));
    return t.isFloat() ? t.floats()[0] : static_cast<float>(t.ints()[0]);
}

void requireSameDType(const KernelContext& ctx, const Tensor& a, const Tensor& b)
{
    if (a.dtype() != b.dtype())
        ctx.fail(ErrorCode::UnsupportedType, std::string("inputs mix float and integer tensors (")
                                                 + (a.isFloat() ? "float" : "int") + " and "
                                                 + (b.isFloat() ? "float" : "int") + ")");
}

void requireFloat(const KernelContext& ctx, const Tensor& t, const char* what)
{
    if (!t.isFloat())
        ctx.fail(ErrorCode::UnsupportedType, std::string(what) + " must be a float tensor, got an integer one");
}

} // namespace bg
