#pragma once
// GlobalAveragePool of a quantized tensor from its codes, without dequantizing it: the bits of the
// float operator (runtime/ops/global_average_pool.cpp) on the dequantized values.
//
// Why the bits are the same: the float kernel sums a plane's values in double (eight interleaved
// partial sums). Every dequantized value v(q) = fl32((q − zp)·s) is an integer multiple of the
// smallest unit m = 2^(e − 23) of the smallest nonzero one (e its exponent), so every partial sum,
// in any order, is an integer multiple of m no larger than size · max|v|. While that is below
// 2^52 · m every such sum is a double exactly, and the kernel's sum is the exact one. So is
// Σ_q count(q)·v(q) over the plane's code histogram (each product exact: count < 2^29 and v has 24
// significant bits), hence the same mean after the same division and rounding. Where the bound
// fails, nothing is computed and the caller runs the float operator.
#include "arithmetic/quant_math.h"
#include "integer/int_tensor.h"
#include "model/tensor.h"

#include <optional>

namespace bg {

// [N, C, D...] codes (channels first, rank 3 or more) -> the float32 means [N, C, 1...]; none
// where the exactness bound above fails or the codes are not of that form.
std::optional<Tensor> globalAveragePoolOfCodes(const QuantActivation& x, const ActivationQuant& q);

} // namespace bg
