// The oracle for intConvTransposeFast: scatter form of the transposed convolution, in int64.
#include "integer/int_conv_geometry.h"
#include "integer/int_conv_transpose.h"

namespace bg {

namespace {
IntConv2dGeometry geometryOf(const Shape& x, const Shape& w, const IntConvTransposeParams& p)
{
    return intConvTransposeGeometry(x, w, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd,
                                    p.outputPadding, p.name);
}
} // namespace

Shape intConvTransposeOutputShape(const Shape& x, const Shape& w, const IntConvTransposeParams& p)
{
    return geometryOf(x, w, p).outputShape();
}

IntAccumulators intConvTransposeReference(const QuantActivation& x, const QuantWeight& w,
                                          const IntConvTransposeParams& p)
{
    validateActivation(x, p.name);
    validateWeight(w, p.name);
    const IntConv2dGeometry g = geometryOf(x.shape, w.shape, p);
    IntAccumulators out;
    out.shape = g.outputShape();
    const int64_t numel = checkedIntOutputNumel(out.shape, p.name);
    out.path = IntKernelPath::Reference;
    out.channelOverflows.assign(static_cast<size_t>(g.cout), 0);

    std::vector<int64_t> acc(static_cast<size_t>(numel), 0);
    const int64_t zp = x.zeroPoint;
    const int64_t cinG = g.cinPerGroup();
    const int64_t coutG = g.coutPerGroup();
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t ic = 0; ic < g.cin; ++ic) {
            const int64_t grp = ic / cinG;
            for (int64_t iy = 0; iy < g.h; ++iy)
                for (int64_t ix = 0; ix < g.w; ++ix) {
                    const int64_t v =
                        int64_t{x.values[static_cast<size_t>(((n * g.cin + ic) * g.h + iy) * g.w + ix)]} - zp;
                    for (int64_t ocg = 0; ocg < coutG; ++ocg) {
                        const int64_t oc = grp * coutG + ocg;
                        for (int64_t ky = 0; ky < g.kh; ++ky) {
                            const int64_t oy = iy * g.sh + ky * g.dh - g.pt;
                            if (oy < 0 || oy >= g.oh)
                                continue;
                            for (int64_t kx = 0; kx < g.kw; ++kx) {
                                const int64_t ox = ix * g.sw + kx * g.dw - g.pl;
                                if (ox < 0 || ox >= g.ow)
                                    continue;
                                const int64_t qw =
                                    w.values[static_cast<size_t>(((ic * coutG + ocg) * g.kh + ky) * g.kw + kx)];
                                acc[static_cast<size_t>(((n * g.cout + oc) * g.oh + oy) * g.ow + ox)] += qw * v;
                            }
                        }
                    }
                }
        }
    out.values.resize(acc.size());
    const int64_t spatial = g.oh * g.ow;
    for (size_t i = 0; i < acc.size(); ++i)
        out.values[i] = narrowAccumulator(acc[i], out, (static_cast<int64_t>(i) / spatial) % g.cout);
    return out;
}

} // namespace bg
