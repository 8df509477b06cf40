#include "integer/int_requantize.h"

#include "io/error.h"
#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>

namespace bg {

int32_t addBiasChecked(int32_t acc, int64_t bias, int64_t& overflowCount)
{
    // |bias| is at most 2^31 (n_b <= 32), so the int64 sum cannot overflow.
    return narrowAccumulator(int64_t{acc} + bias, overflowCount);
}

int64_t requantizeValue(int32_t t, double multiplier, int64_t postBias, int64_t zeroPoint, int bits)
{
    const double qmax = static_cast<double>(activationQmax(bits));
    // Clamp the rounded product before converting: a huge M_c must saturate, not be UB.
    // ±2^40 is far outside any 8-bit output even after zp and q_post are added.
    const double r = std::clamp(roundHalfAway(multiplier * static_cast<double>(t)), -1.0e12, 1.0e12);
    const int64_t y = zeroPoint + static_cast<int64_t>(r) + postBias;
    return std::clamp<int64_t>(y, 0, static_cast<int64_t>(qmax));
}

RequantizeResult requantize(const IntAccumulators& acc, int channelAxis, const RequantizeParams& p,
                            const std::string& subject)
{
    const int rank = static_cast<int>(acc.shape.size());
    if (channelAxis < 0 || channelAxis >= rank)
        throw Error(ErrorCode::BadSetting, subject,
                    "channel axis " + std::to_string(channelAxis) + " is outside accumulators " +
                        shapeToString(acc.shape));
    if (p.bits < 2 || p.bits > 8)
        throw Error(ErrorCode::BadSetting, subject, "activation bits must be in 2..8");
    if (p.zeroPoint < 0 || p.zeroPoint > activationQmax(p.bits))
        throw Error(ErrorCode::BadSetting, subject,
                    "output zero point " + std::to_string(p.zeroPoint) + " is outside the " +
                        std::to_string(p.bits) + "-bit range");
    if (static_cast<int64_t>(acc.values.size()) != shapeNumel(acc.shape))
        throw Error(ErrorCode::ShapeMismatch, subject, "accumulators do not match their shape");
    const int64_t channels = acc.shape[static_cast<size_t>(channelAxis)];
    const auto checkSize = [&](size_t size, bool optional, const char* what) {
        if ((optional && size == 0) || static_cast<int64_t>(size) == channels)
            return;
        throw Error(ErrorCode::BadSetting, subject,
                    std::string(what) + " has " + std::to_string(size) + " values for " +
                        std::to_string(channels) + " channels");
    };
    checkSize(p.multiplier.size(), false, "multiplier");
    checkSize(p.preBias.size(), true, "pre-scale bias");
    checkSize(p.postBias.size(), true, "post-scale bias");
    const int64_t qmax = activationQmax(p.bits);
    const int64_t clampMax = p.clampMax < 0 ? qmax : p.clampMax;
    if (p.clampMin < 0 || p.clampMin > clampMax || clampMax > qmax)
        throw Error(ErrorCode::BadSetting, subject,
                    "output clamp [" + std::to_string(p.clampMin) + ", " + std::to_string(clampMax) +
                        "] is not inside [0, " + std::to_string(qmax) + "]");
    for (double m : p.multiplier)
        if (!std::isfinite(m))
            throw Error(ErrorCode::BadSetting, subject, "requantization multiplier is not finite");
    for (const auto* v : {&p.preBias, &p.postBias})
        for (int64_t b : *v)
            if (b < signedMin(32) || b > signedMax(32))
                throw Error(ErrorCode::BadSetting, subject,
                            "bias " + std::to_string(b) + " does not fit a 32-bit bias register");

    int64_t inner = 1;
    for (int i = channelAxis + 1; i < rank; ++i)
        inner *= acc.shape[static_cast<size_t>(i)];

    RequantizeResult r;
    r.kernelOverflows = acc.overflowCount;
    r.output.shape = acc.shape;
    r.output.zeroPoint = p.zeroPoint;
    r.output.bits = p.bits;
    r.output.values.resize(acc.values.size());
    r.biasChannelOverflows.assign(static_cast<size_t>(channels), 0);
    for (size_t i = 0; i < acc.values.size(); ++i) {
        const size_t c = static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
        const int64_t pre = p.preBias.empty() ? 0 : p.preBias[c];
        const int64_t post = p.postBias.empty() ? 0 : p.postBias[c];
        const int64_t before = r.biasOverflows;
        const int32_t t = addBiasChecked(acc.values[i], pre, r.biasOverflows);
        r.biasChannelOverflows[c] += r.biasOverflows - before;
        const int64_t y = requantizeValue(t, p.multiplier[c], post, p.zeroPoint, p.bits);
        r.output.values[i] = static_cast<uint8_t>(std::clamp(y, p.clampMin, clampMax));
    }
    return r;
}

} // namespace bg
