#pragma once
// Requantization of QUANT_SPEC §6 / §7: int32 accumulators -> n_a-bit activation codes. The one
// requantization of the project: the integer pipeline (group_executor) runs it, the tests test it.
//     t_c = sat32(acc_c + pre_c)      formed in int64, saturated and COUNTED outside int32
//     y   = clamp(zp_y + round(M_c·t_c) + post_c, lo, hi)
//   naive fold / widen: pre_c = sat_nb(q_b,c), post_c = 0
//   separate:           (pre_c, post_c) = the bias split of b'_c (arithmetic/bias_split.h)
//   constant:           M_c = 0, post_c = round(b'_c / s_y)
// [lo, hi] is [0, 2^n_a − 1], narrowed by a fused Relu / Clip (docs/SPEC_NOTES.md "Integer kernels",
// "Integer runtime").
// The onnxruntime arithmetic (docs/SPEC_NOTES.md "Arithmetic: onnxruntime") computes what ONNX
// Runtime computes for the QDQ export's form of the group (quantized_group.h, QdqLayerForm): a
// fused QLinearConv/QGemm as requantizeValueOrt, an integer chain as requantizeValueOrtChain, and a
// float chain (a separated ConvTranspose, run in float32 by ONNX Runtime) as
// y = clamp(zp_y + round_even(M_c·t_c + post_c), lo, hi), §7's value rounded once.
#include "integer/exact_requantize_simd.h"
#include "integer/int_tensor.h"
#include "arithmetic/quant_math.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bg {

// Per-channel parameters, precomputed once per layer (quantized_group.h) and read per element.
struct RequantizeParams {
    std::vector<double> multiplier;  // M_c, one per channel (size = channels)
    std::vector<int64_t> preBias;    // sat_nb(q_b,c) or q_pre,c, added before scaling; empty = none
    std::vector<int64_t> postBias;   // q_post,c, added after rounding; empty = none
    Arithmetic arithmetic = Arithmetic::Exact;
    // The onnxruntime arithmetic on a group ONNX Runtime fuses: M_f,c (ortRequantMultiplier), one
    // per channel, used instead of `multiplier`; empty otherwise.
    std::vector<float> multiplierOrt;
    // The onnxruntime arithmetic on a group the export writes as an integer chain (QdqLayerForm::
    // IntegerChain): k_c (qdqChainScale) and DQ(post_c; s_y) in float32, one per channel, and s_y
    // as the file's float32; empty otherwise.
    std::vector<float> chainScale;
    std::vector<float> chainPost;
    float outputScale = 1.0f;
    int64_t zeroPoint = 0;           // zp_y
    int bits = 8;                    // n_a
    // Clamp of the output CODES for a fused Relu / Clip (§4 fusion group), inside [0, 2^n_a − 1]:
    // [max(0, zp_y + round(lo/s_y)), min(2^n_a − 1, zp_y + round(hi/s_y))]. clampMax < 0 means 2^n_a − 1.
    int64_t clampMin = 0;
    int64_t clampMax = -1;
    // The widest vector loops the exact arithmetic may use (exact_requantize_simd.h), capped by the
    // CPU: eight channels or pixels per AVX-512 step, four per AVX2 step, two channels per SSE2
    // step, or the scalar form. The same codes at every width (tst_int_kernels compares them).
    RequantizeSimd simd = RequantizeSimd::Avx512;
    // Codes looked up after the requantization, y' = codeTable[c·256 + y] (codeTable[y] for every
    // channel when not codeTablePerChannel): an element-wise chain that only this group's output
    // feeds (elementwise_chain.h's chainCodeTable), applied while the codes are in cache. Null: none.
    // The result's zero point and bits stay p's; the caller gives them the chain's.
    const uint8_t* codeTable = nullptr;
    bool codeTablePerChannel = false;
    // Write the codes channels-last ([N, spatial..., C], QuantActivation::channelsLast) for readers
    // that work in NHWC (a fast Conv); channels on axis 1 only.
    bool channelsLastOutput = false;
};

struct RequantizeResult {
    QuantActivation output;          // same shape as the accumulators, zeroPoint/bits of params
    int64_t kernelOverflows = 0;     // carried over from IntAccumulators::overflowCount
    int64_t biasOverflows = 0;       // elements whose t = acc + preBias left int32
    std::vector<int64_t> biasChannelOverflows;  // biasOverflows per channel
    int64_t totalOverflows() const { return kernelOverflows + biasOverflows; }
};

// t = acc + bias in int64; outside int32 it is saturated and overflowCount is incremented.
// |bias| ≤ 2^31 (n_b ≤ 32), so the int64 sum is exact.
inline int32_t addBiasChecked(int32_t acc, int64_t bias, int64_t& overflowCount)
{
    constexpr int64_t kMin32 = std::numeric_limits<int32_t>::min();
    constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();
    const int64_t t = int64_t{acc} + bias;
    if (t >= kMin32 && t <= kMax32)
        return static_cast<int32_t>(t);
    ++overflowCount;
    return static_cast<int32_t>(t < kMin32 ? kMin32 : kMax32);
}

// clamp(zp + round(multiplier·t) + postBias, lo, hi), round half away from zero. In double: zp and
// post are integers below 2^53 in magnitude and round(M·t) is integral, so the sum is exact
// wherever it lands inside [lo, hi] (a huge M·t saturates). A NaN product (a NaN or infinite M_c:
// the fold factor of a zero variance with zero epsilon) gives zp, i.e. real 0, clamped like any y.
inline int64_t requantizeValue(int32_t t, double multiplier, int64_t postBias, int64_t zeroPoint, int64_t lo,
                               int64_t hi)
{
    double v = static_cast<double>(zeroPoint) + roundHalfAway(multiplier * static_cast<double>(t))
        + static_cast<double>(postBias);
    if (std::isnan(v))
        v = static_cast<double>(zeroPoint);
    const double dlo = static_cast<double>(lo), dhi = static_cast<double>(hi);
    return static_cast<int64_t>(v < dlo ? dlo : (v > dhi ? dhi : v));
}

// The float32 multiplier ONNX Runtime's QLinearConv / QLinearMatMul / QGemm compute from the QDQ
// file's float32 scales: M_f = float32(float32(s_x · s_w,c) / s_y).
inline float ortRequantMultiplier(double inputScale, double weightScale, double outputScale)
{
    const float xw = static_cast<float>(inputScale) * static_cast<float>(weightScale);
    return xw / static_cast<float>(outputScale);
}

// Requantization of ONNX Runtime's fused integer operators (MLAS MlasRequantizeOutput): float32(t)
// times M_f in float32, clamped to [lo − zp, hi − zp], rounded half to even, plus zp. A NaN product
// gives zp as in requantizeValue.
inline int64_t requantizeValueOrt(int32_t t, float multiplier, int64_t zeroPoint, int64_t lo, int64_t hi)
{
    float v = static_cast<float>(t) * multiplier;
    if (std::isnan(v))
        v = 0.0f;
    const float flo = static_cast<float>(lo - zeroPoint), fhi = static_cast<float>(hi - zeroPoint);
    v = v < flo ? flo : (v > fhi ? fhi : v);
    return static_cast<int64_t>(std::nearbyint(v)) + zeroPoint;
}

// ONNX Runtime's DequantizeLinear of an int32 code with zero point 0: float32(q) · s in float32.
inline float ortDequantizeInt32(int64_t q, double scale)
{
    return static_cast<float>(q) * static_cast<float>(scale);
}

// What ONNX Runtime computes for the export's integer chain (QdqLayerForm::IntegerChain) from
// t = acc + pre, the int32 its Add gives: Cast to float32, Mul by k_c, Add DQ(post_c), each rounded
// to float32 (core is built with -ffp-contract=off, so the Mul and Add are never one FMA), then
// its QuantizeLinear with s_y and zp_y; [lo, hi] is the group's Relu/Clip, which ONNX Runtime applies
// in float before the QuantizeLinear (the same codes: QuantizeLinear is monotonic).
inline int64_t requantizeValueOrtChain(int32_t t, float chainScale, float chainPost, float outputScale,
                                       int64_t zeroPoint, int64_t qmax, int64_t lo, int64_t hi)
{
    const float scaled = static_cast<float>(t) * chainScale;
    const float real = scaled + chainPost;
    const int64_t q = quantizeLinearOrt(real, outputScale, zeroPoint, qmax);
    return q < lo ? lo : (q > hi ? hi : q);
}

// §6/§7's requantization with the onnxruntime arithmetic's rounding, for the layers ONNX Runtime runs
// in float32 before one QuantizeLinear: clamp(zp + round_even(M·t + post), lo, hi), the sum rounded
// once (round_even(x + n) is not round_even(x) + n at a tie).
inline int64_t requantizeValueEven(int32_t t, double multiplier, int64_t postBias, int64_t zeroPoint, int64_t lo,
                                   int64_t hi)
{
    double v = static_cast<double>(zeroPoint)
        + std::nearbyint(multiplier * static_cast<double>(t) + static_cast<double>(postBias));
    if (std::isnan(v))
        v = static_cast<double>(zeroPoint);
    const double dlo = static_cast<double>(lo), dhi = static_cast<double>(hi);
    return static_cast<int64_t>(v < dlo ? dlo : (v > dhi ? dhi : v));
}

// Per-channel requantization; channelAxis is 1 for Conv/ConvTranspose (NCHW) and the last axis
// for Gemm/MatMul. Channels-last accumulators (a fast Conv's, IntAccumulators::channelsLast) need
// channelAxis 1 and give codes in the order of the shape (NCHW), the same as their channels-first copy.
// for Gemm/MatMul. Fails (BadSetting) on parameter vectors that do not match the channel count,
// a pre-scale bias beyond 32 bits, a zero point outside the n_a-bit range or a clamp outside it.
RequantizeResult requantize(const IntAccumulators& acc, int channelAxis, const RequantizeParams& p,
                            const std::string& subject);

// requantize() for channels-last accumulators that arrive a strip of pixels at a time (a fast
// Conv's rows of output while they are in cache): requantizeBegin checks p as requantize does and
// sizes the result for accumulators of `shape` ([N, C, spatial...], channels on axis 1);
// requantizeStrip writes the codes of pixels [pixel0, pixel0 + pixels) of every image from `values`
// ([N][pixels][C]). Once every pixel has been given, r is what requantize gives for the whole
// (the caller adds the kernel's overflows).
RequantizeResult requantizeBegin(const Shape& shape, const RequantizeParams& p, const std::string& subject);
void requantizeStrip(const int32_t* values, int64_t pixel0, int64_t pixels, const RequantizeParams& p,
                     RequantizeResult& r);

} // namespace bg
