#pragma once
// oneDNN pooling (pooling_v2: with dilations) for MaxPool / AveragePool in ONNX layout. Returns
// false when oneDNN refuses the configuration or its semantics would differ from ONNX's, and the
// caller runs the reference kernel instead.
#include "runtime/kernels/pool_reference.h"

namespace bg {

enum class PoolKind { Max, AverageIncludePad, AverageExcludePad };

bool dnnlPool(const PoolShape& s, PoolKind kind, const float* x, float* y);

} // namespace bg
