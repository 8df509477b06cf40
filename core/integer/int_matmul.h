#pragma once
// Exact integer Gemm / MatMul with a constant 2-D weight (QUANT_SPEC §6):
//     acc[m, j] = Σ_k q_w(k, j) · (q_a[m, k] − zp_a)
// q_a has shape [..., K] (Gemm: [M, K]; MatMul: any rank >= 1, leading axes are rows);
// the weight is [K, N] (transB = false: Gemm transB=0 and MatMul) or [N, K] (transB = true).
// Output channel j is the LAST axis of the result [..., N]. Gemm's transA, alpha, beta and C are
// the caller's business (alpha/beta fold into the multiplier and the bias).
#include "integer/int_tensor.h"

#include <string>

namespace bg {

struct IntMatMulParams {
    std::string name;  // node name: the subject of every error
    bool transB = false;
};

Shape intMatMulOutputShape(const Shape& a, const Shape& b, const IntMatMulParams& p);

IntAccumulators intMatMulReference(const QuantActivation& a, const QuantWeight& b,
                                   const IntMatMulParams& p);
// oneDNN u8×s8→s32 matmul minus zp_a·Σ_k q_w(k, j); falls back to the reference when exactness
// cannot be guaranteed (docs/SPEC_NOTES.md "Integer kernels").
IntAccumulators intMatMulFast(const QuantActivation& a, const QuantWeight& b, const IntMatMulParams& p);

} // namespace bg
