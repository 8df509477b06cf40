#pragma once
// Plain-loop Conv and ConvTranspose in double accumulation: the oracle the oneDNN kernels are
// tested against. Any spatial rank from 1 to 3.
#include "runtime/kernels/conv_geometry.h"

#include <cstdint>
#include <vector>

namespace bg {

struct ConvShape {
    int64_t batch = 1;
    int64_t inChannels = 0;   // C
    int64_t outChannels = 0;  // M
    int64_t group = 1;
    WindowGeometry geo;
};

// Up to 3 spatial axes padded at the front with size-1 axes, so one loop nest serves 1D..3D.
struct Window3 {
    int64_t in[3], kernel[3], stride[3], dilation[3], padBegin[3], out[3];
};
Window3 toWindow3(const WindowGeometry& g);

// x [N, C, in...], w [M, C/group, k...], bias [M] or nullptr -> y [N, M, out...].
std::vector<float> convReference(const ConvShape& s, const float* x, const float* w, const float* bias);

// x [N, C, in...], w [C, M/group, k...], bias [M] or nullptr -> y [N, M, out...];
// y[o] += x[i] * w[k] where o = i * stride + k * dilation - padBegin.
std::vector<float> convTransposeReference(const ConvShape& s, const float* x, const float* w, const float* bias);

} // namespace bg
