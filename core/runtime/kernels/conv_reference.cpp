#include "runtime/kernels/conv_reference.h"

#include <stdexcept>

namespace bg {

Window3 toWindow3(const WindowGeometry& g)
{
    const size_t n = g.rank();
    if (n < 1 || n > 3)
        throw std::invalid_argument("only 1 to 3 spatial axes are supported");
    Window3 w{};
    for (size_t a = 0; a < 3; ++a) {
        w.in[a] = w.kernel[a] = w.stride[a] = w.dilation[a] = w.out[a] = 1;
        w.padBegin[a] = 0;
    }
    const size_t off = 3 - n;
    for (size_t i = 0; i < n; ++i) {
        w.in[off + i] = g.in[i];
        w.kernel[off + i] = g.kernel[i];
        w.stride[off + i] = g.strides[i];
        w.dilation[off + i] = g.dilations[i];
        w.padBegin[off + i] = g.padBegin[i];
        w.out[off + i] = g.out[i];
    }
    return w;
}

namespace {

// Channels per group (input, output) and elements per plane (input, output, kernel).
struct LoopSizes {
    int64_t cPerGroup, mPerGroup, inSize, outSize, kSize;
};

LoopSizes loopSizes(const ConvShape& s, const Window3& g)
{
    return {s.inChannels / s.group, s.outChannels / s.group, g.in[0] * g.in[1] * g.in[2],
            g.out[0] * g.out[1] * g.out[2], g.kernel[0] * g.kernel[1] * g.kernel[2]};
}

} // namespace

std::vector<float> convReference(const ConvShape& s, const float* x, const float* w, const float* bias)
{
    const Window3 g = toWindow3(s.geo);
    const auto [cPerGroup, mPerGroup, inSize, outSize, kSize] = loopSizes(s, g);
    std::vector<float> y(static_cast<size_t>(s.batch * s.outChannels * outSize));
    for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t m = 0; m < s.outChannels; ++m) {
            const int64_t grp = m / mPerGroup;
            for (int64_t od = 0; od < g.out[0]; ++od)
                for (int64_t oh = 0; oh < g.out[1]; ++oh)
                    for (int64_t ow = 0; ow < g.out[2]; ++ow) {
                        double acc = bias ? bias[m] : 0.0;
                        for (int64_t c = 0; c < cPerGroup; ++c) {
                            const int64_t ic = grp * cPerGroup + c;
                            const float* xc = x + (n * s.inChannels + ic) * inSize;
                            const float* wc = w + (m * cPerGroup + c) * kSize;
                            for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
                                const int64_t id = od * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
                                if (id < 0 || id >= g.in[0])
                                    continue;
                                for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                                    const int64_t ih = oh * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                                    if (ih < 0 || ih >= g.in[1])
                                        continue;
                                    for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                        const int64_t iw = ow * g.stride[2] + kw * g.dilation[2] - g.padBegin[2];
                                        if (iw < 0 || iw >= g.in[2])
                                            continue;
                                        acc += double(xc[(id * g.in[1] + ih) * g.in[2] + iw])
                                            * double(wc[(kd * g.kernel[1] + kh) * g.kernel[2] + kw]);
                                    }
                                }
                            }
                        }
                        y[static_cast<size_t>(((n * s.outChannels + m) * g.out[0] + od) * g.out[1] * g.out[2]
                                              + oh * g.out[2] + ow)] = static_cast<float>(acc);
                    }
        }
    return y;
}

std::vector<float> convTransposeReference(const ConvShape& s, const float* x, const float* w, const float* bias)
{
    const Window3 g = toWindow3(s.geo);
    const auto [cPerGroup, mPerGroup, inSize, outSize, kSize] = loopSizes(s, g);
    // Scatter in double, then round once.
    std::vector<double> acc(static_cast<size_t>(s.batch * s.outChannels * outSize), 0.0);
    for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t c = 0; c < s.inChannels; ++c) {
            const int64_t grp = c / cPerGroup;
            const float* xc = x + (n * s.inChannels + c) * inSize;
            for (int64_t mg = 0; mg < mPerGroup; ++mg) {
                const int64_t m = grp * mPerGroup + mg;
                const float* wc = w + (c * mPerGroup + mg) * kSize;
                double* yc = acc.data() + (n * s.outChannels + m) * outSize;
                for (int64_t id = 0; id < g.in[0]; ++id)
                    for (int64_t ih = 0; ih < g.in[1]; ++ih)
                        for (int64_t iw = 0; iw < g.in[2]; ++iw) {
                            const double xv = xc[(id * g.in[1] + ih) * g.in[2] + iw];
                            for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
                                const int64_t od = id * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
                                if (od < 0 || od >= g.out[0])
                                    continue;
                                for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                                    const int64_t oh = ih * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
                                    if (oh < 0 || oh >= g.out[1])
                                        continue;
                                    for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                                        const int64_t ow = iw * g.stride[2] + kw * g.dilation[2] - g.padBegin[2];
                                        if (ow < 0 || ow >= g.out[2])
                                            continue;
                                        yc[(od * g.out[1] + oh) * g.out[2] + ow]
                                            += xv * double(wc[(kd * g.kernel[1] + kh) * g.kernel[2] + kw]);
                                    }
                                }
                            }
                        }
            }
        }
    std::vector<float> y(acc.size());
    for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t m = 0; m < s.outChannels; ++m)
            for (int64_t o = 0; o < outSize; ++o) {
                const size_t i = static_cast<size_t>((n * s.outChannels + m) * outSize + o);
                y[i] = static_cast<float>(acc[i] + (bias ? double(bias[m]) : 0.0));
            }
    return y;
}

} // namespace bg
