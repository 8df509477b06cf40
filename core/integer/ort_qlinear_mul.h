#pragma once
// The onnxruntime arithmetic's Mul of two quantized tensors into an 8-bit quantized output: the
// QDQ export writes it as DQ(a), DQ(b) → Mul → Q, which ONNX Runtime fuses into its QLinearMul.
// MLAS (qlmul.cpp, the SSE2 and NEON kernels) computes it from the integer product, not from the
// dequantized values BiasGuard's float Mul reads:
//     c = sat_u8(round_even(fl32(fl32(P · r) + fl32(zp_c))))
//     P = (q_a − zp_a)·(q_b − zp_b) (exact in int32),   r = fl32(fl32(s_a · s_b) / s_c)
// — zp_c is added in float32 before the rounding, so the result is not round_even(P·r) + zp_c
// at every near-tie (docs/SPEC_NOTES.md, "Arithmetic: onnxruntime").
#include "integer/int_tensor.h"
#include "arithmetic/quant_math.h"

#include <cmath>
#include <cstdint>
#include <string>

namespace bg {

inline float qlinearMulRatio(double scaleA, double scaleB, double scaleC)
{
    const float ab = static_cast<float>(scaleA) * static_cast<float>(scaleB);
    return ab / static_cast<float>(scaleC);
}

inline uint8_t qlinearMulValueOrt(int32_t product, float ratio, int64_t zeroPointC)
{
    const float scaled = static_cast<float>(product) * ratio;
    const float shifted = scaled + static_cast<float>(zeroPointC);
    const float r = std::nearbyint(shifted);  // _mm_cvtps_epi32: to even
    // packs_epi32 then packus_epi16 saturate to [0, 255]; cvtps of a NaN or huge value is INT_MIN.
    if (!(r >= 0.0f))
        return 0;
    return r > 255.0f ? uint8_t{255} : static_cast<uint8_t>(r);
}

// Whether ONNX Runtime fuses this Mul: both inputs quantized activations (a DQ each in the export)
// and an 8-bit output (below 8 bits the export's Clip before the Q breaks the pattern).
inline bool runsAsQLinearMul(bool inputsQuantized, const ActivationQuant& output)
{
    return inputsQuantized && output.bits == 8;
}

// c's codes for a and b broadcast by numpy's rules; fails (ShapeMismatch, naming `subject`) on
// shapes that do not broadcast.
QuantActivation qlinearMulOrt(const QuantActivation& a, const QuantActivation& b, float ratio, int64_t zeroPointC,
                              const std::string& subject);

} // namespace bg
