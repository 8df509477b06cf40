#pragma once
// Requantization of QUANT_SPEC §6 / §7: int32 accumulators -> n_a-bit activation codes.
//   naive fold:  t_c = acc_c + sat_nb(q_b,c);     y = clamp(zp_y + round(M_c·t_c), 0, 2^n_a − 1)
//   separate:    t_c = acc_c + q_pre,c;           y = clamp(zp_y + round(M_c·t_c) + q_post,c, ...)
//   constant:    M_c = 0, q_post,c = round(b'_c / s_y) gives clamp(zp_y + q_post,c, ...).
// t_c is formed in int64 and CHECKED against the signed 32-bit accumulator: outside it, t_c is
// saturated to INT32_MIN/INT32_MAX and counted (docs/SPEC_NOTES.md "Integer kernels").
#include "integer/int_tensor.h"

#include <string>
#include <vector>

namespace bg {

struct RequantizeParams {
    std::vector<double> multiplier;  // M_c, one per channel (size = channels)
    std::vector<int64_t> preBias;    // sat_nb(q_b,c) or q_pre,c, added before scaling; empty = none
    std::vector<int64_t> postBias;   // q_post,c, added after rounding; empty = none
    int64_t zeroPoint = 0;           // zp_y
    int bits = 8;                    // n_a
    // Extra clamp of the output CODES for a fused Relu / Clip (§4 fusion group), applied after
    // the [0, 2^n_a − 1] clamp: [max(0, zp_y + round(lo/s_y)), min(2^n_a − 1, zp_y + round(hi/s_y))].
    // clampMax < 0 means 2^n_a − 1.
    int64_t clampMin = 0;
    int64_t clampMax = -1;
};

struct RequantizeResult {
    QuantActivation output;          // same shape as the accumulators, zeroPoint/bits of params
    int64_t kernelOverflows = 0;     // carried over from IntAccumulators::overflowCount
    int64_t biasOverflows = 0;       // elements whose t = acc + preBias left int32
    std::vector<int64_t> biasChannelOverflows;  // biasOverflows per channel
    int64_t totalOverflows() const { return kernelOverflows + biasOverflows; }
};

// t = acc + bias in int64; outside int32 it is saturated and overflowCount is incremented.
int32_t addBiasChecked(int32_t acc, int64_t bias, int64_t& overflowCount);
// clamp(zp + round(multiplier·t) + postBias, 0, 2^bits − 1), round half away from zero.
int64_t requantizeValue(int32_t t, double multiplier, int64_t postBias, int64_t zeroPoint, int bits);

// Per-channel requantization; channelAxis is 1 for Conv/ConvTranspose (NCHW) and the last axis
// for Gemm/MatMul. Fails (BadSetting) on parameter vectors that do not match the channel count,
// a non-finite multiplier, or a zero point outside the n_a-bit range.
RequantizeResult requantize(const IntAccumulators& acc, int channelAxis, const RequantizeParams& p,
                            const std::string& subject);

} // namespace bg
