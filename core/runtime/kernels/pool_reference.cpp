#include "runtime/kernels/pool_reference.h"

#include "runtime/kernels/conv_reference.h"

#include <limits>

namespace bg {

namespace {

// Calls f(flatInputIndex, inside, spatialPos) for every window position of output (od, oh, ow);
// `inside` is false for positions in padding (the flat index is then meaningless).
template <class F> void forEachWindowPos(const Window3& g, int64_t od, int64_t oh, int64_t ow, F&& f)
{
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
        const int64_t id = od * g.stride[0] + kd * g.dilation[0] - g.padBegin[0];
        for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
            const int64_t ih = oh * g.stride[1] + kh * g.dilation[1] - g.padBegin[1];
            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                const int64_t iw = ow * g.stride[2] + kw * g.dilation[2] - g.padBegin[2];
                const bool inside = id >= 0 && id < g.in[0] && ih >= 0 && ih < g.in[1] && iw >= 0 && iw < g.in[2];
                f(inside, id, ih, iw);
            }
        }
    }
}

template <class T>
std::vector<T> maxPoolTyped(const PoolShape& s, const T* x, std::vector<int64_t>* indices, bool columnMajor)
{
    const Window3 g = toWindow3(s.geo);
    const int64_t inSize = g.in[0] * g.in[1] * g.in[2];
    const int64_t outSize = g.out[0] * g.out[1] * g.out[2];
    std::vector<T> y(static_cast<size_t>(s.batch * s.channels * outSize));
    if (indices)
        indices->assign(y.size(), 0);
    size_t o = 0;
    for (int64_t nc = 0; nc < s.batch * s.channels; ++nc) {
        const T* xc = x + nc * inSize;
        for (int64_t od = 0; od < g.out[0]; ++od)
            for (int64_t oh = 0; oh < g.out[1]; ++oh)
                for (int64_t ow = 0; ow < g.out[2]; ++ow, ++o) {
                    T best = std::numeric_limits<T>::lowest();
                    int64_t bestIndex = -1;
                    forEachWindowPos(g, od, oh, ow, [&](bool inside, int64_t id, int64_t ih, int64_t iw) {
                        if (!inside)
                            return;
                        const int64_t flat = (id * g.in[1] + ih) * g.in[2] + iw;
                        if (bestIndex < 0 || xc[flat] > best) {
                            best = xc[flat];
                            // Column-major reverses the axis order: w varies slowest, d fastest.
                            bestIndex = columnMajor ? (iw * g.in[1] + ih) * g.in[0] + id : flat;
                        }
                    });
                    y[o] = best;
                    if (indices)
                        (*indices)[o] = nc * inSize + (bestIndex < 0 ? 0 : bestIndex);
                }
    }
    return y;
}

} // namespace

std::vector<float> maxPoolReference(const PoolShape& s, const float* x, std::vector<int64_t>* indices,
                                    bool columnMajor)
{
    return maxPoolTyped(s, x, indices, columnMajor);
}

std::vector<int64_t> maxPoolReferenceInt(const PoolShape& s, const int64_t* x, std::vector<int64_t>* indices,
                                         bool columnMajor)
{
    return maxPoolTyped(s, x, indices, columnMajor);
}

std::vector<float> averagePoolReference(const PoolShape& s, const float* x, bool countIncludePad)
{
    const Window3 g = toWindow3(s.geo);
    // Padded extent per axis (the region whose positions count with count_include_pad).
    int64_t padEnd[3] = {0, 0, 0};
    const size_t off = 3 - s.geo.rank();
    for (size_t i = 0; i < s.geo.rank(); ++i)
        padEnd[off + i] = s.geo.padEnd[i];
    const int64_t inSize = g.in[0] * g.in[1] * g.in[2];
    const int64_t outSize = g.out[0] * g.out[1] * g.out[2];
    std::vector<float> y(static_cast<size_t>(s.batch * s.channels * outSize));
    size_t o = 0;
    for (int64_t nc = 0; nc < s.batch * s.channels; ++nc) {
        const float* xc = x + nc * inSize;
        for (int64_t od = 0; od < g.out[0]; ++od)
            for (int64_t oh = 0; oh < g.out[1]; ++oh)
                for (int64_t ow = 0; ow < g.out[2]; ++ow, ++o) {
                    double sum = 0.0;
                    int64_t count = 0;
                    forEachWindowPos(g, od, oh, ow, [&](bool inside, int64_t id, int64_t ih, int64_t iw) {
                        if (inside) {
                            sum += xc[(id * g.in[1] + ih) * g.in[2] + iw];
                            ++count;
                        } else if (countIncludePad && id < g.in[0] + padEnd[0] && ih < g.in[1] + padEnd[1]
                                   && iw < g.in[2] + padEnd[2]) {
                            ++count;  // explicit padding counts; the ceil_mode overhang does not
                        }
                    });
                    y[o] = count ? static_cast<float>(sum / double(count)) : 0.0f;
                }
    }
    return y;
}

} // namespace bg
