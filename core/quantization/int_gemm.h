#pragma once
// Exact integer matrix product of QUANT_SPEC §6 for Gemm and MatMul with a constant 2-D weight:
//     acc[m, n] = Σ_k q_w(k, n) · (q_x[m, k] − zp_x)
// x is [..., K] (leading axes are rows), w is [K, N], or [N, K] when transB. The output is
// [..., N]. Sums are exact (int64) and narrowed to int32 with saturation and counting.
#include "quantization/int_tensor.h"

#include <string>

namespace bg {

IntAccumulators intGemm(const QuantActivation& x, const QuantWeight& w, bool transB, const std::string& name);

} // namespace bg
