#include "runtime/kernels/elementwise_cast.h"

#include "runtime/kernels/shape_util.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace bg {

float roundToFloat16(float v)
{
    if (!std::isfinite(v) || v == 0.0f)
        return v;
    int e = 0;
    std::frexp(v, &e);  // v = m * 2^e, 0.5 <= |m| < 1, so the IEEE exponent is e - 1
    const int exponent = std::max(e - 1, -14);  // below 2^-14 float16 is subnormal: fixed spacing
    const double spacing = std::ldexp(1.0, exponent - 10);
    const double r = std::nearbyint(static_cast<double>(v) / spacing) * spacing;  // ties to even
    if (std::fabs(r) > 65504.0)
        return std::copysign(INFINITY, v);
    return static_cast<float>(r);
}

float roundToBFloat16(float v)
{
    // Truncation (drop the low 16 bits), as the ONNX reference and its backend test data do.
    // NaN is recognised on the bits: with a floating-point NaN test in front, GCC 12 -O2 drops
    // the mask below inside loops (miscompilation seen on Debian 12's g++ 12.2).
    const uint32_t u = std::bit_cast<uint32_t>(v);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)
        return v;
    return std::bit_cast<float>(u & 0xFFFF0000u);
}

const char* onnxTypeName(int32_t t)
{
    switch (t) {
    case 1: return "float";
    case 2: return "uint8";
    case 3: return "int8";
    case 4: return "uint16";
    case 5: return "int16";
    case 6: return "int32";
    case 7: return "int64";
    case 8: return "string";
    case 9: return "bool";
    case 10: return "float16";
    case 11: return "double";
    case 12: return "uint32";
    case 13: return "uint64";
    case 14: return "complex64";
    case 15: return "complex128";
    case 16: return "bfloat16";
    default: return "unknown";
    }
}

// The value an integer of ONNX type `to` would hold after a two's-complement conversion.
static int64_t wrapToIntType(int64_t v, int64_t to)
{
    switch (to) {
    case 2: return static_cast<uint8_t>(v);
    case 3: return static_cast<int8_t>(v);
    case 4: return static_cast<uint16_t>(v);
    case 5: return static_cast<int16_t>(v);
    case 6: return static_cast<int32_t>(v);
    case 12: return static_cast<uint32_t>(v);
    case 9: return v != 0 ? 1 : 0;
    default: return v;  // int64, uint64 (stored in int64's bits)
    }
}

Tensor castTensor(const KernelContext& ctx, const Tensor& x, int64_t to)
{
    const bool toFloat = isFloatElemType(to);
    const bool toInt = to == 2 || to == 3 || to == 4 || to == 5 || to == 6 || to == 7 || to == 9 || to == 12
        || to == 13;
    if (!toFloat && !toInt)
        ctx.fail(ErrorCode::UnsupportedType, std::string("cannot cast to ") + onnxTypeName(static_cast<int32_t>(to))
                                                 + " (ONNX type " + std::to_string(to) + ")");
    if (toFloat) {
        std::vector<float> v = x.toFloatVector();
        if (to == 10)
            for (float& f : v)
                f = roundToFloat16(f);
        else if (to == 16)
            for (float& f : v)
                f = roundToBFloat16(f);
        return makeTensor(x.shape(), std::move(v), static_cast<int32_t>(to));
    }
    std::vector<int64_t> v(static_cast<size_t>(x.numel()));
    if (x.isFloat()) {
        const auto f = x.floats();
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = to == 9 ? (f[i] != 0.0f ? 1 : 0) : wrapToIntType(floatToInt64(f[i]), to);
    } else {
        const auto s = x.ints();
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = wrapToIntType(s[i], to);
    }
    return makeTensor(x.shape(), std::move(v), static_cast<int32_t>(to));
}

} // namespace bg
