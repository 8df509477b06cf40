#pragma once
// The elementary arithmetic of QUANT_SPEC §3–§5, in one place so that the analysis, the integer
// runtime and the tests all round, saturate and count bits the same way.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "arithmetic/quant_settings.h"

namespace bg {

// round(x): half away from zero, as §3 prescribes; the value of std::round (sign of zero included),
// without its out-of-line libm call, which was a tenth of an integer run: the requantization and
// the activation quantizer call it per element. Below 2^52 the truncation and x − trunc(x) are
// exact in double, so comparing the fraction with ±1/2 decides the tie exactly; beyond, x is
// already integral (or not finite) and std::round keeps it.
inline double roundHalfAway(double x)
{
    if (!(std::fabs(x) < 0x1p52))
        return std::round(x);
    const double t = static_cast<double>(static_cast<int64_t>(x));
    const double f = x - t;
    const double r = f >= 0.5 ? t + 1.0 : (f <= -0.5 ? t - 1.0 : t);
    return std::copysign(r, x);
}
// ONNX QuantizeLinear as ONNX Runtime's CPU kernel (MLAS, quantize.cpp) computes it, the
// onnxruntime arithmetic's §4: the quotient x / s in float32, clamped to [−zp, qmax − zp], rounded
// half to even, plus zp. NaN gives zp as in §4 (MLAS's max_ps would give code 0).
inline int64_t quantizeLinearOrt(float x, float scale, int64_t zeroPoint, int64_t qmax)
{
    float t = x / scale;
    if (std::isnan(t))
        return zeroPoint;
    const float lo = static_cast<float>(-zeroPoint), hi = static_cast<float>(qmax - zeroPoint);
    t = t < lo ? lo : (t > hi ? hi : t);
    return static_cast<int64_t>(std::nearbyint(t)) + zeroPoint;  // default rounding mode: to even
}
// Largest q of the signed narrow-range n-bit weight grid: 2^(n-1) - 1.
int64_t weightQmax(int bits);
// Signed k-bit range [-2^(k-1), 2^(k-1) - 1].
int64_t signedMin(int bits);
int64_t signedMax(int bits);
// sat_k(x) of §3, on a (rounded) value that may be huge or NaN (NaN gives 0): e.g. the content of
// an n_b-bit bias register.
int64_t saturateSigned(double x, int bits);
// Unsigned n-bit activation range [0, 2^n - 1].
int64_t activationQmax(int bits);
// bits() reported for a value no register can hold (±inf, NaN: a zero variance with zero epsilon).
constexpr int kUnrepresentableBits = 1024;
// bits(q) of §5: smallest k with -2^(k-1) <= q <= 2^(k-1) - 1 (bits(0) = 1), for a rounded value
// that may not fit int64 (a huge B_c: computed on the double, never UB); kUnrepresentableBits for
// ±inf and NaN. The one bits() of the analysis, the bias parts and the charts.
int bitsNeeded(double roundedValue);

// Affine activation quantization parameters of §4 from a calibrated range; the scale is rounded to
// the nearest float32 (what every export stores), the zero point is §4's from the exact scale.
struct ActivationQuant {
    double scale = 1.0;
    int64_t zeroPoint = 0;
    int bits = 8;
    Arithmetic arithmetic = Arithmetic::Exact;
    // clamp(round(x / s) + zp, 0, 2^n - 1); NaN gives zp (real 0), ±inf saturate. Inline: it runs
    // on every element of every float tensor the integer pipeline quantizes. With the onnxruntime
    // arithmetic, quantizeLinearOrt (s is a float32 in both: activationQuantFromRange).
    int64_t quantize(double x) const
    {
        if (arithmetic == Arithmetic::OnnxRuntime)
            return quantizeLinearOrt(static_cast<float>(x), static_cast<float>(scale), zeroPoint, activationQmax(bits));
        const double q = roundHalfAway(x / scale) + static_cast<double>(zeroPoint);
        if (std::isnan(q))
            return zeroPoint;
        return static_cast<int64_t>(std::clamp(q, 0.0, static_cast<double>(activationQmax(bits))));
    }
    double dequantize(int64_t q) const { return static_cast<double>(q - zeroPoint) * scale; }
};
ActivationQuant activationQuantFromRange(double lo, double hi, int bits, Arithmetic arithmetic = Arithmetic::Exact);

} // namespace bg
