#pragma once
// §4 applied to a whole float tensor: codes q = clamp(round(x / s) + zp, 0, 2^n_a − 1) and the
// dequantized values (q − zp) · s the float operators of the integer pipeline read.
#include "model/tensor.h"
#include "integer/int_tensor.h"
#include "arithmetic/quant_math.h"
#include "integer/cpu_avx2.h"

#include <array>

namespace bg {

// §4's quantizer and dequantizer of one tensor's activation parameters, applied to n consecutive
// elements on the calling thread. quantizeActivation and dequantizeActivation split a tensor into
// such ranges across threads; the element-wise chains (elementwise_chain.h) go block by block: both
// get the same codes and values.
class ActivationCodec {
public:
    // The vector width: SSE2 (every x86-64), or AVX2 where the CPU has it. Both give the same codes
    // and values (tst_activation_quantizer runs each); Avx2 on a CPU without it is Sse2.
    enum class Isa { Sse2, Avx2 };
    static Isa bestIsa();

    explicit ActivationCodec(const ActivationQuant& q, Isa isa = bestIsa());
    // codes[i] = clamp(round(x[i] / s) + zp, 0, 2^n_a − 1), NaN → zp (the arithmetic's rounding).
    void quantize(const float* x, int64_t n, uint8_t* codes) const;
    // out[i] = (codes[i] − zp) · s in double, rounded to float32.
    void dequantize(const uint8_t* codes, int64_t n, float* out) const;

private:
    ActivationQuant q_;
    float table_[256];
    float reciprocal_ = 0.0f;  // fl32(1/s): the exact arithmetic's vector path, where it is accurate
    bool vector_ = false;
    bool avx2_ = false;
};

// Codes of a float tensor (NaN becomes zp, i.e. real 0; ±inf saturate).
QuantActivation quantizeActivation(const Tensor& x, const ActivationQuant& q);
// (q − zp) · s computed in double and rounded to float32.
Tensor dequantizeActivation(const QuantActivation& x, const ActivationQuant& q);
// The values of the 256 codes, as dequantizeActivation gives them: the operands of whatever is
// computed once per code instead of once per element (chain tables, operators on codes).
std::array<float, 256> valueOfEveryCode(const ActivationQuant& q);

} // namespace bg
