#pragma once
// Internal to the integer kernels: Conv / ConvTranspose attributes normalised to 2-D (a 1-D
// convolution is a 2-D one with H = 1), validated once for the reference and the fast path.
#include "integer/int_tensor.h"

#include <string>
#include <vector>

namespace bg {

struct IntConv2dGeometry {
    int64_t n = 0, cin = 0, h = 0, w = 0;       // input
    int64_t cout = 0, group = 1;
    int64_t kh = 0, kw = 0;
    int64_t sh = 1, sw = 1, dh = 1, dw = 1;     // stride, dilation (ONNX convention: 1 = none)
    int64_t pt = 0, pl = 0, pb = 0, pr = 0;     // pads top/left/bottom/right
    int64_t oph = 0, opw = 0;                   // ConvTranspose output_padding
    int64_t oh = 0, ow = 0;                     // output
    int spatialRank = 2;
    int64_t cinPerGroup() const { return cin / group; }
    int64_t coutPerGroup() const { return cout / group; }
    Shape outputShape() const;
};

// Conv: w is [C_out, C_in/g, kH(, kW)].
IntConv2dGeometry intConvGeometry(const Shape& x, const Shape& w, int64_t group,
                                  const std::vector<int64_t>& strides,
                                  const std::vector<int64_t>& dilations,
                                  const std::vector<int64_t>& padsBegin,
                                  const std::vector<int64_t>& padsEnd, const std::string& subject);
// ConvTranspose: w is [C_in, C_out/g, kH(, kW)]; output size
// s·(in−1) + output_padding + (k−1)·d + 1 − pad_begin − pad_end.
IntConv2dGeometry intConvTransposeGeometry(const Shape& x, const Shape& w, int64_t group,
                                           const std::vector<int64_t>& strides,
                                           const std::vector<int64_t>& dilations,
                                           const std::vector<int64_t>& padsBegin,
                                           const std::vector<int64_t>& padsEnd,
                                           const std::vector<int64_t>& outputPadding,
                                           const std::string& subject);

} // namespace bg
