#pragma once
// §4 applied to a whole float tensor: codes q = clamp(round(x / s) + zp, 0, 2^n_a − 1) and the
// dequantized values (q − zp) · s the float operators of the integer pipeline read.
#include "model/tensor.h"
#include "integer/int_tensor.h"
#include "arithmetic/quant_math.h"

namespace bg {

// Codes of a float tensor (NaN becomes zp, i.e. real 0; ±inf saturate).
QuantActivation quantizeActivation(const Tensor& x, const ActivationQuant& q);
// (q − zp) · s computed in double and rounded to float32.
Tensor dequantizeActivation(const QuantActivation& x, const ActivationQuant& q);

} // namespace bg
