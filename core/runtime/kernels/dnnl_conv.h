#pragma once
// oneDNN convolution and deconvolution for float tensors in ONNX layout. Each returns false when
// oneDNN refuses the configuration, and the caller runs the reference kernel instead.
#include "runtime/kernels/conv_reference.h"
#include "runtime/kernels/conv_post_op.h"

namespace bg {

// Same contract as convReference; `y` holds N*M*out elements. With `act`, y = act(conv(x)) in the
// same primitive (eltwise post-ops, in order). The primitive of each configuration is made once per process
// (a cache keyed by the shapes and the post-op) and its weights reordered once (dnnl_weight_cache.h).
bool dnnlConvolution(const ConvShape& s, const float* x, const float* w, const float* bias, float* y,
                     const ConvPostOps* act = nullptr);
// Same contract as convTransposeReference.
bool dnnlConvTranspose(const ConvShape& s, const float* x, const float* w, const float* bias, float* y);

} // namespace bg
