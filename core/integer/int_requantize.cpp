#include "integer/int_requantize.h"

#include "io/error.h"
#include "arithmetic/quant_math.h"
#include "runtime/kernels/parallel_ranges.h"

#include <atomic>

namespace bg {

namespace {

// One row of a channel: t = acc + pre (saturated, counted) requantized by `value`; returns the
// row's bias overflows.
template <class Value>
int64_t requantizeRow(const int32_t* in, uint8_t* out, int64_t n, int64_t pre, const Value& value)
{
    int64_t overflows = 0;
    for (int64_t j = 0; j < n; ++j)
        out[j] = static_cast<uint8_t>(value(addBiasChecked(in[j], pre, overflows)));
    return overflows;
}

} // namespace

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
    checkSize(p.multiplierOrt.size(), true, "float32 multiplier");
    checkSize(p.chainScale.size(), true, "float32 chain scale");
    checkSize(p.chainPost.size(), p.chainScale.empty(), "float32 chain post-scale bias");
    const int64_t qmax = activationQmax(p.bits);
    const int64_t clampMax = p.clampMax < 0 ? qmax : p.clampMax;
    if (p.clampMin < 0 || clampMax > qmax)
        throw Error(ErrorCode::BadSetting, subject,
                    "output clamp [" + std::to_string(p.clampMin) + ", " + std::to_string(clampMax) +
                        "] is not inside [0, " + std::to_string(qmax) + "]");
    // A non-finite M_c is allowed (requantizeValue's NaN rule); post_c is added after rounding in
    // double, so only the pre-scale part must fit the 32-bit accumulator's bias register.
    for (int64_t b : p.preBias)
        if (b < signedMin(32) || b > signedMax(32))
            throw Error(ErrorCode::BadSetting, subject,
                        "bias " + std::to_string(b) + " does not fit a 32-bit bias register");

    int64_t outer = 1, inner = 1;
    for (int i = 0; i < channelAxis; ++i)
        outer *= acc.shape[static_cast<size_t>(i)];
    for (int i = channelAxis + 1; i < rank; ++i)
        inner *= acc.shape[static_cast<size_t>(i)];

    RequantizeResult r;
    r.kernelOverflows = acc.overflowCount;
    r.output.shape = acc.shape;
    r.output.zeroPoint = p.zeroPoint;
    r.output.bits = p.bits;
    r.output.values.resize(acc.values.size());
    r.biasChannelOverflows.assign(static_cast<size_t>(channels), 0);
    // Element (o, c, j) of [outer, channels, inner]: the channel's parameters are read once per run of
    // `inner` elements, and the inner loop holds no division, allocation or out-of-line call. Rows
    // (o, c) run on the thread team (each element on its own: the same bits); a row's bias
    // overflows, rare, are added atomically.
    const bool ortFused = !p.multiplierOrt.empty();
    const bool ortChain = !p.chainScale.empty();
    const bool even = p.arithmetic == Arithmetic::OnnxRuntime;
    parallelRanges(outer * channels, inner, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
            const size_t ci = static_cast<size_t>(row % channels);
            const int32_t* in = acc.values.data() + row * inner;
            uint8_t* out = r.output.values.data() + row * inner;
            const double m = p.multiplier[ci];
            const int64_t pre = p.preBias.empty() ? 0 : p.preBias[ci];
            const int64_t post = p.postBias.empty() ? 0 : p.postBias[ci];
            int64_t overflows = 0;
            if (ortFused) {
                const float mf = p.multiplierOrt[ci];
                overflows = requantizeRow(in, out, inner, pre, [&](int32_t t) {
                    return requantizeValueOrt(t, mf, p.zeroPoint, p.clampMin, clampMax);
                });
            } else if (ortChain) {
                const float k = p.chainScale[ci], pf = p.chainPost[ci];
                overflows = requantizeRow(in, out, inner, pre, [&](int32_t t) {
                    return requantizeValueOrtChain(t, k, pf, p.outputScale, p.zeroPoint, qmax, p.clampMin, clampMax);
                });
            } else if (even) {
                overflows = requantizeRow(in, out, inner, pre, [&](int32_t t) {
                    return requantizeValueEven(t, m, post, p.zeroPoint, p.clampMin, clampMax);
                });
            } else {
                overflows = requantizeRow(in, out, inner, pre, [&](int32_t t) {
                    return requantizeValue(t, m, post, p.zeroPoint, p.clampMin, clampMax);
                });
            }
            if (overflows != 0) {
                std::atomic_ref<int64_t>(r.biasChannelOverflows[ci]).fetch_add(overflows, std::memory_order_relaxed);
                std::atomic_ref<int64_t>(r.biasOverflows).fetch_add(overflows, std::memory_order_relaxed);
            }
        }
    });
    return r;
}

} // namespace bg
