#pragma once
// Shape and value helpers shared by the light operators: checked element counts for shapes that a
// kernel computes from data (Expand, Tile, Resize ... must not allocate whatever a model asks for),
// typed access that works for both element types, and reading small integer inputs.
#include "runtime/kernel_context.h"

#include <cstdint>
#include <span>
#include <vector>

namespace bg {

// A bound on sizes read from attributes and data (pads, repeats, depths) before any arithmetic on
// them, so that it cannot overflow: 2^28. The configurable limit on the tensor a kernel creates is
// KernelContext::maxElements, which checkedNumel applies.
constexpr int64_t kMaxKernelElements = int64_t{1} << 28;

// ONNX TensorProto element types the runtime writes back.
constexpr int32_t kOnnxFloat = 1;
constexpr int32_t kOnnxInt64 = 7;
constexpr int32_t kOnnxBool = 9;

// Element count of a computed shape; fails naming the node on a negative dim or more than
// ctx.maxElements elements. `what` names the tensor in the message ("output", "expanded shape").
int64_t checkedNumel(const KernelContext& ctx, const Shape& shape, const char* what = "output");

// A zero-filled tensor of `shape` with the dtype and ONNX element type of `like` (size checked).
Tensor zerosLike(const KernelContext& ctx, const Tensor& like, const Shape& shape);

// Integer values of input i (an int64 tensor; a float tensor holding whole numbers is accepted
// too, since some exporters write shapes as float). `what` names the input in messages.
std::vector<int64_t> inputInts(const KernelContext& ctx, size_t i, const char* what);
// Float values of input i whatever its dtype.
std::vector<float> inputFloats(const KernelContext& ctx, size_t i, const char* what);
// The single value of a scalar-like input (numel 1).
float inputScalarFloat(const KernelContext& ctx, size_t i, const char* what);

// Fails (UnsupportedType) unless both tensors hold the same dtype.
void requireSameDType(const KernelContext& ctx, const Tensor& a, const Tensor& b);
// Fails (UnsupportedType) unless the tensor holds float data; `what` names it.
void requireFloat(const KernelContext& ctx, const Tensor& t, const char* what = "input");

// float -> int64 without undefined behaviour: truncates toward zero, saturates out-of-range
// values, NaN becomes 0.
int64_t floatToInt64(double v);

// Typed views, so that data-movement kernels can be written once as templates over T.
template <class T> std::span<const T> valuesOf(const Tensor& t);
template <> inline std::span<const float> valuesOf<float>(const Tensor& t) { return t.floats(); }
template <> inline std::span<const int64_t> valuesOf<int64_t>(const Tensor& t) { return t.ints(); }
template <class T> std::span<T> valuesOf(Tensor& t);
template <> inline std::span<float> valuesOf<float>(Tensor& t) { return t.floats(); }
template <> inline std::span<int64_t> valuesOf<int64_t>(Tensor& t) { return t.ints(); }

// Calls f(T{}) with T = float or int64_t according to the tensor's dtype.
template <class F> decltype(auto) visitDType(const Tensor& t, F&& f)
{
    if (t.isFloat())
        return f(float{});
    return f(int64_t{});
}

// A tensor from typed values, carrying the given ONNX element type.
template <class T> Tensor makeTensor(Shape shape, std::vector<T> values, int32_t elemType)
{
    Tensor t(std::move(shape), std::move(values));
    t.setElemType(elemType);
    return t;
}

} // namespace bg
