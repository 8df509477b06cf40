#include "integer/activation_quantizer.h"

#include "runtime/kernels/parallel_ranges.h"

#include <cmath>
#include <span>

namespace bg {

namespace {

// ActivationQuant::quantize (§4) with its rounding done by integer conversion instead of libm's
// round, which the detector's integer run spent a third of its time in. Exact, not approximate:
// t = x / s is first clamped to [-zp - 1, qmax - zp + 1] (beyond it round(t) + zp clamps to the
// same bound), where truncation to int64 is exact and t - trunc(t) is exact, so the half-away-from-
// zero decision is the one std::round makes. NaN gives zp. tst_activation_quantizer compares the
// two on ties, bounds, infinities and random values.
struct CodeQuantizer {
    double scale;
    int64_t zeroPoint, qmax;
    double lo, hi;  // the clamp of t

    explicit CodeQuantizer(const ActivationQuant& q)
        : scale(q.scale), zeroPoint(q.zeroPoint), qmax(activationQmax(q.bits)),
          lo(-static_cast<double>(q.zeroPoint) - 1.0), hi(static_cast<double>(qmax - q.zeroPoint) + 1.0)
    {
    }

    uint8_t operator()(float x) const
    {
        double t = static_cast<double>(x) / scale;
        if (std::isnan(t))
            return static_cast<uint8_t>(zeroPoint);
        t = t < lo ? lo : (t > hi ? hi : t);
        int64_t k = static_cast<int64_t>(t);  // toward zero
        const double frac = t - static_cast<double>(k);
        k += frac >= 0.5 ? 1 : (frac <= -0.5 ? -1 : 0);
        const int64_t code = k + zeroPoint;
        return static_cast<uint8_t>(code < 0 ? 0 : (code > qmax ? qmax : code));
    }
};

// The onnxruntime arithmetic's quantizer (quantizeLinearOrt), with its per-tensor constants read once.
struct OrtCodeQuantizer {
    float scale;
    int64_t zeroPoint, qmax;

    explicit OrtCodeQuantizer(const ActivationQuant& q)
        : scale(static_cast<float>(q.scale)), zeroPoint(q.zeroPoint), qmax(activationQmax(q.bits))
    {
    }

    uint8_t operator()(float x) const { return static_cast<uint8_t>(quantizeLinearOrt(x, scale, zeroPoint, qmax)); }
};

template <class Quantizer>
void quantizeInto(std::span<const float> v, uint8_t* codes, const Quantizer& quantize)
{
    parallelRanges(static_cast<int64_t>(v.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            codes[i] = quantize(v[static_cast<size_t>(i)]);
    });
}

} // namespace

QuantActivation quantizeActivation(const Tensor& x, const ActivationQuant& q)
{
    QuantActivation out;
    out.shape = x.shape();
    out.zeroPoint = q.zeroPoint;
    out.bits = q.bits;
    const auto v = x.floats();
    out.values.resize(v.size());
    if (q.arithmetic == Arithmetic::OnnxRuntime)
        quantizeInto(v, out.values.data(), OrtCodeQuantizer(q));
    else
        quantizeInto(v, out.values.data(), CodeQuantizer(q));
    return out;
}

Tensor dequantizeActivation(const QuantActivation& x, const ActivationQuant& q)
{
    // 256 possible codes: a table makes the conversion exact and cheap.
    float table[256];
    for (int c = 0; c < 256; ++c)
        table[c] = static_cast<float>(static_cast<double>(c - q.zeroPoint) * q.scale);
    std::vector<float> v(x.values.size());
    const uint8_t* codes = x.values.data();
    float* out = v.data();
    parallelRanges(static_cast<int64_t>(v.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            out[i] = table[codes[i]];
    });
    return Tensor(x.shape, std::move(v));
}

} // namespace bg
