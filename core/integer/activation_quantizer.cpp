#include "integer/activation_quantizer.h"

#include "runtime/kernels/parallel_ranges.h"

#include <cmath>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if BG_AVX2_LOOPS
#include <immintrin.h>
#endif

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

#if defined(__SSE2__)
// Eight codes from k − zp (two halves of four int32): + zp, clamped to [0, qmax], stored as bytes.
// The vector quantizers' one store (SSE2: AVX2 code inlines it too).
inline void storeEightCodes(__m128i k0, __m128i k1, __m128i zp, __m128i qmax, uint8_t* codes)
{
    __m128i c = _mm_add_epi16(_mm_packs_epi32(k0, k1), zp);
    c = _mm_min_epi16(_mm_max_epi16(c, _mm_setzero_si128()), qmax);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(codes), _mm_packus_epi16(c, c));
}

// CodeQuantizer eight floats at a time, still exact: u = fl32(x · fl32(1/s)) is within 2^-22.9·|x/s|
// of the double quotient t the formula rounds (two float32 roundings, one double), so wherever the
// clamped u lies farther than 2^-20·(|u| + 1) from a tie k + 1/2, round(u) = round(t) and the code
// is u's; a block with any element inside that window (or NaN) is redone by CodeQuantizer, which
// divides. Ties and pixel-grid inputs take the exact path; the rest never meets a division (the
// detector's integer run spent a quarter of its time in the division loop). Only used where 1/s is
// a normal float32 far from overflow, so that neither the reciprocal nor the product loses its
// relative accuracy except on subnormal products, whose absolute error (2^-149) is far below
// the window. tst_activation_quantizer compares it with §4's formula.
// r is fl32(1/s).
void quantizeRangeFast(const float* x, int64_t n, uint8_t* codes, const CodeQuantizer& exact, float r)
{
    const __m128 vr = _mm_set1_ps(r), vlo = _mm_set1_ps(static_cast<float>(exact.lo)),
                 vhi = _mm_set1_ps(static_cast<float>(exact.hi)), half = _mm_set1_ps(0.5f),
                 minusHalf = _mm_set1_ps(-0.5f), one = _mm_set1_ps(1.0f), window = _mm_set1_ps(0x1p-20f),
                 absMask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    const __m128i zp = _mm_set1_epi16(static_cast<int16_t>(exact.zeroPoint)),
                  qmax = _mm_set1_epi16(static_cast<int16_t>(exact.qmax));
    // Four codes as int32 minus zp (half away from zero) and whether all four are safe.
    const auto four = [&](const float* p, __m128i& k, int& safe) {
        const __m128 u = _mm_mul_ps(_mm_loadu_ps(p), vr);
        const __m128 c = _mm_min_ps(_mm_max_ps(u, vlo), vhi);
        k = _mm_cvttps_epi32(c);  // |c| <= 257: exact truncation
        const __m128 frac = _mm_sub_ps(c, _mm_cvtepi32_ps(k));
        k = _mm_sub_epi32(k, _mm_castps_si128(_mm_cmpge_ps(frac, half)));      // +1 where frac >= 1/2
        k = _mm_add_epi32(k, _mm_castps_si128(_mm_cmple_ps(frac, minusHalf)));  // -1 where frac <= -1/2
        const __m128 tie = _mm_and_ps(_mm_sub_ps(_mm_and_ps(frac, absMask), half), absMask);
        const __m128 w = _mm_mul_ps(_mm_add_ps(_mm_and_ps(c, absMask), one), window);
        safe = _mm_movemask_ps(_mm_and_ps(_mm_cmpgt_ps(tie, w), _mm_cmpord_ps(u, u)));
    };
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i k0, k1;
        int s0, s1;
        four(x + i, k0, s0);
        four(x + i + 4, k1, s1);
        if ((s0 & s1) != 0xf) {
            for (int64_t j = i; j < i + 8; ++j)
                codes[j] = exact(x[j]);
            continue;
        }
        storeEightCodes(k0, k1, zp, qmax, codes + i);
    }
    for (; i < n; ++i)
        codes[i] = exact(x[i]);
}
#endif

#if BG_AVX2_LOOPS
// quantizeRangeFast eight lanes wide: the same float32 operations on each lane, the same window, the
// same exact fallback for a group of eight, so the same codes.
__attribute__((target("avx2"))) void quantizeRangeAvx2(const float* x, int64_t n, uint8_t* codes,
                                                       const CodeQuantizer& exact, float r)
{
    const __m256 vr = _mm256_set1_ps(r), vlo = _mm256_set1_ps(static_cast<float>(exact.lo)),
                 vhi = _mm256_set1_ps(static_cast<float>(exact.hi)), half = _mm256_set1_ps(0.5f),
                 minusHalf = _mm256_set1_ps(-0.5f), one = _mm256_set1_ps(1.0f), window = _mm256_set1_ps(0x1p-20f),
                 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m128i zp = _mm_set1_epi16(static_cast<int16_t>(exact.zeroPoint)),
                  qmax = _mm_set1_epi16(static_cast<int16_t>(exact.qmax));
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 u = _mm256_mul_ps(_mm256_loadu_ps(x + i), vr);
        const __m256 c = _mm256_min_ps(_mm256_max_ps(u, vlo), vhi);
        __m256i k = _mm256_cvttps_epi32(c);  // |c| <= 257: exact truncation
        const __m256 frac = _mm256_sub_ps(c, _mm256_cvtepi32_ps(k));
        k = _mm256_sub_epi32(k, _mm256_castps_si256(_mm256_cmp_ps(frac, half, _CMP_GE_OQ)));
        k = _mm256_add_epi32(k, _mm256_castps_si256(_mm256_cmp_ps(frac, minusHalf, _CMP_LE_OQ)));
        const __m256 tie = _mm256_and_ps(_mm256_sub_ps(_mm256_and_ps(frac, absMask), half), absMask);
        const __m256 w = _mm256_mul_ps(_mm256_add_ps(_mm256_and_ps(c, absMask), one), window);
        const int safe = _mm256_movemask_ps(_mm256_and_ps(_mm256_cmp_ps(tie, w, _CMP_GT_OQ), _mm256_cmp_ps(u, u, _CMP_ORD_Q)));
        if (safe != 0xff) {
            for (int64_t j = i; j < i + 8; ++j)
                codes[j] = exact(x[j]);
            continue;
        }
        storeEightCodes(_mm256_castsi256_si128(k), _mm256_extracti128_si256(k, 1), zp, qmax, codes + i);
    }
    for (; i < n; ++i)
        codes[i] = exact(x[i]);
}

// The table's values computed eight at a time: fl32(double(q − zp) · s) is the table's formula, and
// a double product and its rounding to float32 are each correctly rounded, so the same floats. It
// beats the table's scalar loads by not being one load per element.
__attribute__((target("avx2"))) void dequantizeAvx2(const uint8_t* codes, int64_t n, float* out, int64_t zeroPoint,
                                                    double scale, const float* table)
{
    const __m256i zp = _mm256_set1_epi32(static_cast<int32_t>(zeroPoint));
    const __m256d s = _mm256_set1_pd(scale);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i k = _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(codes + i))), zp);
        const __m128 lo = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(k)), s));
        const __m128 hi = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(k, 1)), s));
        _mm256_storeu_ps(out + i, _mm256_set_m128(hi, lo));
    }
    for (; i < n; ++i)
        out[i] = table[codes[i]];
}
#endif

} // namespace

ActivationCodec::Isa ActivationCodec::bestIsa()
{
    return cpuHasAvx2() ? Isa::Avx2 : Isa::Sse2;
}

ActivationCodec::ActivationCodec(const ActivationQuant& q, Isa isa) : q_(q), avx2_(isa == Isa::Avx2 && bestIsa() == Isa::Avx2)
{
    // 256 possible codes: a table makes the conversion exact and cheap.
    for (int c = 0; c < 256; ++c)
        table_[c] = static_cast<float>(static_cast<double>(c - q.zeroPoint) * q.scale);
#if defined(__SSE2__)
    const double r = 1.0 / q.scale;
    if (q.arithmetic != Arithmetic::OnnxRuntime && r > 0x1p-100 && r < 0x1p100) {
        reciprocal_ = static_cast<float>(r);
        vector_ = true;
    }
#endif
}

void ActivationCodec::quantize(const float* x, int64_t n, uint8_t* codes) const
{
    if (q_.arithmetic == Arithmetic::OnnxRuntime) {
        const OrtCodeQuantizer quantize(q_);
        for (int64_t i = 0; i < n; ++i)
            codes[i] = quantize(x[i]);
        return;
    }
    const CodeQuantizer exact(q_);
#if defined(__SSE2__)
    // §4 with the exact arithmetic: the vector path where its reciprocal is accurate, else the divisions.
    if (vector_) {
#if BG_AVX2_LOOPS
        if (avx2_) {
            quantizeRangeAvx2(x, n, codes, exact, reciprocal_);
            return;
        }
#endif
        quantizeRangeFast(x, n, codes, exact, reciprocal_);
        return;
    }
#endif
    for (int64_t i = 0; i < n; ++i)
        codes[i] = exact(x[i]);
}

void ActivationCodec::dequantize(const uint8_t* codes, int64_t n, float* out) const
{
#if BG_AVX2_LOOPS
    if (avx2_) {
        dequantizeAvx2(codes, n, out, q_.zeroPoint, q_.scale, table_);
        return;
    }
#endif
    for (int64_t i = 0; i < n; ++i)
        out[i] = table_[codes[i]];
}

QuantActivation quantizeActivation(const Tensor& x, const ActivationQuant& q)
{
    QuantActivation out;
    out.shape = x.shape();
    out.zeroPoint = q.zeroPoint;
    out.bits = q.bits;
    const auto v = x.floats();
    out.values.resize(v.size());
    const ActivationCodec codec(q);
    parallelRanges(static_cast<int64_t>(v.size()), 1, [&](int64_t begin, int64_t end) {
        codec.quantize(v.data() + begin, end - begin, out.values.data() + begin);
    });
    return out;
}

Tensor dequantizeActivation(const QuantActivation& x, const ActivationQuant& q)
{
    if (x.channelsLast)  // values in the order of the shape
        return dequantizeActivation(activationChannelsFirst(x), q);
    std::vector<float> v(x.values.size());
    const ActivationCodec codec(q);
    parallelRanges(static_cast<int64_t>(v.size()), 1, [&](int64_t begin, int64_t end) {
        codec.dequantize(x.values.data() + begin, end - begin, v.data() + begin);
    });
    return Tensor(x.shape, std::move(v));
}

std::array<float, 256> valueOfEveryCode(const ActivationQuant& q)
{
    uint8_t codes[256];
    for (int c = 0; c < 256; ++c)
        codes[c] = static_cast<uint8_t>(c);
    std::array<float, 256> values{};
    ActivationCodec(q).dequantize(codes, 256, values.data());
    return values;
}

} // namespace bg
