#pragma once
// Exact integer ConvTranspose (QUANT_SPEC §6 applied to the transposed convolution, NCHW, 1-D or
// 2-D spatial). Every input element x[n, ic, iy, ix] adds q_w[ic, oc_g, ky, kx]·(q_x − zp_x) to
// output (iy·s_h + ky·d_h − pad_top, ix·s_w + kx·d_w − pad_left) when that lies inside the output;
// output positions no input reaches (e.g. from output_padding) are 0.
// Attributes are resolved by the caller (output_shape / auto_pad turned into explicit pads).
#include "integer/int_tensor.h"

#include <string>
#include <vector>

namespace bg {

struct IntConvTransposeParams {
    std::string name;                 // node name: the subject of every error
    int64_t group = 1;
    std::vector<int64_t> strides;     // per spatial axis; empty = ONNX defaults
    std::vector<int64_t> dilations;
    std::vector<int64_t> padsBegin;
    std::vector<int64_t> padsEnd;
    std::vector<int64_t> outputPadding;
};

// [N, C_out, spatial...] with C_out = W.shape[1] · group.
Shape intConvTransposeOutputShape(const Shape& x, const Shape& w, const IntConvTransposeParams& p);

IntAccumulators intConvTransposeReference(const QuantActivation& x, const QuantWeight& w,
                                          const IntConvTransposeParams& p);
// oneDNN deconvolution of q_x without padding (full output), cropped to the pads, minus
// zp_x·(the same deconvolution of an all-ones input): the per-position Σ of the weights that
// reach each output. Falls back to the reference when exactness cannot be guaranteed.
IntAccumulators intConvTransposeFast(const QuantActivation& x, const QuantWeight& w,
                                     const IntConvTransposeParams& p);
// The same accumulators ordered [N, spatial..., C] (IntAccumulators::channelsLast), as oneDNN
// computes them: what requantize reads without a transposition.
IntAccumulators intConvTransposeFastChannelsLast(const QuantActivation& x, const QuantWeight& w,
                                                 const IntConvTransposeParams& p);

} // namespace bg
