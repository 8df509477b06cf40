// The oracle for intConvFast: the sum of §6 written out literally, in int64, one output at a time.
#include "integer/int_conv.h"
#include "integer/int_conv_geometry.h"

namespace bg {

Shape intConvOutputShape(const Shape& x, const Shape& w, const IntConvParams& p)
{
    return intConvGeometry(x, w, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.name)
        .outputShape();
}

IntAccumulators intConvReference(const QuantActivation& x, const QuantWeight& w,
                                 const IntConvParams& p)
{
    validateActivation(x, p.name);
    validateWeight(w, p.name);
    const IntConv2dGeometry g =
        intConvGeometry(x.shape, w.shape, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.name);
    IntAccumulators out;
    out.shape = g.outputShape();
    out.values.resize(static_cast<size_t>(checkedIntOutputNumel(out.shape, p.name)));
    out.path = IntKernelPath::Reference;
    out.channelOverflows.assign(static_cast<size_t>(g.cout), 0);

    const int64_t zp = x.zeroPoint;
    const int64_t cinG = g.cinPerGroup();
    const int64_t coutG = g.coutPerGroup();
    size_t o = 0;
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t oc = 0; oc < g.cout; ++oc) {
            const int64_t grp = oc / coutG;
            for (int64_t oy = 0; oy < g.oh; ++oy)
                for (int64_t ox = 0; ox < g.ow; ++ox) {
                    int64_t acc = 0;
                    for (int64_t ic = 0; ic < cinG; ++ic) {
                        const int64_t c = grp * cinG + ic;
                        for (int64_t ky = 0; ky < g.kh; ++ky) {
                            const int64_t iy = oy * g.sh + ky * g.dh - g.pt;
                            for (int64_t kx = 0; kx < g.kw; ++kx) {
                                const int64_t ix = ox * g.sw + kx * g.dw - g.pl;
                                // A padded position reads zp_x: (zp_x - zp_x) = 0, real zero.
                                const bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
                                const int64_t qx =
                                    inside ? x.values[static_cast<size_t>(((n * g.cin + c) * g.h + iy) * g.w + ix)]
                                           : zp;
                                const int64_t qw =
                                    w.values[static_cast<size_t>(((oc * cinG + ic) * g.kh + ky) * g.kw + kx)];
                                acc += qw * (qx - zp);
                            }
                        }
                    }
                    out.values[o++] = narrowAccumulator(acc, out, oc);
                }
        }
    return out;
}

} // namespace bg
