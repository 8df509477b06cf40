#pragma once
// oneDNN convolution and deconvolution for float tensors in ONNX layout. Each returns false when
// oneDNN refuses the configuration, and the caller runs the reference kernel instead.
#include "runtime/kernels/conv_reference.h"

namespace bg {

// Same contract as convReference; `y` holds N*M*out elements.
bool dnnlConvolution(const ConvShape& s, const float* x, const float* w, const float* bias, float* y);
// Same contract as convTransposeReference.
bool dnnlConvTranspose(const ConvShape& s, const float* x, const float* w, const float* bias, float* y);

} // namespace bg
