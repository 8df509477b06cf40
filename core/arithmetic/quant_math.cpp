#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>

namespace bg {

int64_t weightQmax(int bits)
{
    return (int64_t{1} << (bits - 1)) - 1;
}

int64_t signedMin(int bits)
{
    return -(int64_t{1} << (bits - 1));
}

int64_t signedMax(int bits)
{
    return (int64_t{1} << (bits - 1)) - 1;
}

int64_t saturateSigned(double x, int bits)
{
    if (std::isnan(x))
        return 0;
    return static_cast<int64_t>(
        std::clamp(x, static_cast<double>(signedMin(bits)), static_cast<double>(signedMax(bits))));
}

int64_t activationQmax(int bits)
{
    return (int64_t{1} << bits) - 1;
}

// bits(q) for a q that fits int64.
static int bitsOfInteger(int64_t q)
{
    for (int k = 1; k < 64; ++k)
        if (q >= signedMin(k) && q <= signedMax(k))
            return k;
    return 64;
}

int bitsNeeded(double v)
{
    if (!std::isfinite(v))
        return kUnrepresentableBits;  // beyond any register; reported as such
    // Exact for |v| < 2^62; beyond that the value is far outside every bias register anyway.
    if (std::fabs(v) < 4.0e18)
        return bitsOfInteger(static_cast<int64_t>(v));
    // 2^(k-1) >= |v| roughly: k = floor(log2|v|) + 2 is the exact answer for a non-power-of-two.
    return static_cast<int>(std::floor(std::log2(std::fabs(v)))) + 2;
}

ActivationQuant activationQuantFromRange(double lo, double hi, int bits, Arithmetic arithmetic)
{
    ActivationQuant aq;
    aq.bits = bits;
    aq.arithmetic = arithmetic;
    const double lo2 = std::min(lo, 0.0);
    const double hi2 = std::max(hi, 0.0);
    if (hi2 == lo2) {
        aq.scale = 1.0;
        aq.zeroPoint = 0;
        return aq;
    }
    const double qmax = static_cast<double>(activationQmax(bits));
    const double scale = (hi2 - lo2) / qmax;
    aq.zeroPoint = static_cast<int64_t>(std::clamp(roundHalfAway(-lo2 / scale), 0.0, qmax));
    // The scale every run uses is the float32 nearest §4's: the value a QDQ or encodings file can
    // hold (ONNX's y_scale is float32), so that a runtime reading the export quantizes with the very
    // scale BiasGuard did (docs/SPEC_NOTES.md, "QDQ export"). zp stays §4's, from the exact scale.
    aq.scale = static_cast<double>(static_cast<float>(scale));
    return aq;
}

} // namespace bg
