#pragma once
// Exact integer convolution of QUANT_SPEC §6 (Conv, NCHW, 1-D or 2-D spatial):
//     acc[n, c, oy, ox] = Σ_k q_w[c, k] · (q_x[n, k(oy, ox)] − zp_x)
// where a padded position reads zp_x (real 0), so padding contributes nothing.
// Attributes are resolved by the caller (auto_pad turned into explicit pads).
#include "integer/int_tensor.h"

#include <functional>
#include <string>
#include <vector>

namespace bg {

// Per output channel of a Conv weight [C_out, C_in/g, k...]: Σ_k q_w[c, k] (the zero point's
// correction) and Σ_k |q_w[c, k]|, and max |q_w| (the exactness guards of intConvFast).
struct IntConvWeightSums {
    std::vector<int64_t> sum;
    std::vector<int64_t> absSum;
    int64_t maxAbs = 0;
};
// Validates the codes (validateWeight) and sums them; fails (ShapeMismatch) on a weight of rank < 2.
IntConvWeightSums intConvWeightSums(const QuantWeight& w, const std::string& subject);

struct IntConvParams {
    std::string name;                 // node name: the subject of every error
    int64_t group = 1;
    // Per spatial axis; empty means the ONNX default (stride 1, dilation 1, pad 0).
    std::vector<int64_t> strides;
    std::vector<int64_t> dilations;
    std::vector<int64_t> padsBegin;
    std::vector<int64_t> padsEnd;
    // intConvWeightSums(w), made once by the caller (QuantizedGroup: a run reads a layer's weights
    // once per inference otherwise); null: the kernel makes it.
    const IntConvWeightSums* weightSums = nullptr;
};

// Output shape [N, C_out, spatial...]; fails (ShapeMismatch/BadAttribute) on inconsistent inputs.
Shape intConvOutputShape(const Shape& x, const Shape& w, const IntConvParams& p);

// Plain int64 loops: the oracle. Always exact.
IntAccumulators intConvReference(const QuantActivation& x, const QuantWeight& w,
                                 const IntConvParams& p);
// oneDNN u8×s8→s32 on an input padded with zp_x, minus zp_x·Σ_k q_w per channel. Falls back to
// the reference (result.path == Reference) whenever exactness cannot be guaranteed: see
// docs/SPEC_NOTES.md "Integer kernels". Bit-identical to the reference in every case.
IntAccumulators intConvFast(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p);
// The same sums in the order oneDNN computes them (channelsLast, unless the reference ran): what the
// integer pipeline requantizes, without transposing int32s in between.
IntAccumulators intConvFastChannelsLast(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p);

// The same sums a strip of output rows at a time, for a caller that consumes them while they are in
// cache: sink(values, row0, rows) receives those of rows [row0, row0 + rows) of every image,
// channels-last ([N][rows·W_out][C_out]), at most stripBytes of them (at least one row), as the
// first values of `values` (which holds exactly those in the last strip's call), and may move from
// `values`. Returns the path that ran; Reference means nothing ran (no sink call): the
// fast kernel cannot be exact here, and the caller runs intConvReference.
using IntConvStripSink = std::function<void(std::vector<int32_t>& values, int64_t row0, int64_t rows)>;
IntKernelPath intConvFastStrips(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p, int64_t stripBytes,
                                const IntConvStripSink& sink);

} // namespace bg
