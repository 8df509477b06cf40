// intConvTransposeFast: a transposed convolution has no padded READS (pads crop the output), so
// the zero point is removed as  acc = T(q_x) − zp_x·T(1), where T is the deconvolution and T(1)
// is the deconvolution of an all-ones input — the sum of the weights reaching each output
// position. T(1) rides along as one extra batch element, so one oneDNN primitive computes both.
// oneDNN runs with zero padding (the full output) and the pads/output_padding are applied by
// cropping here, so no negative padding or version-specific output_padding handling is needed.
// Split codes (no VNNI, int_dnnl_support.h) make the batch [hi(x), lo(x), ones].
#include "integer/int_conv_geometry.h"
#include "integer/int_conv_transpose.h"
#include "integer/int_dnnl_support.h"

#include <algorithm>
#include <cstdlib>

namespace bg {

IntAccumulators intConvTransposeFast(const QuantActivation& x, const QuantWeight& w,
                                     const IntConvTransposeParams& p)
{
    const uint8_t largestCode = validateActivation(x, p.name);
    validateWeight(w, p.name);
    const IntConv2dGeometry g = intConvTransposeGeometry(
        x.shape, w.shape, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.outputPadding, p.name);
    const Shape outShape = g.outputShape();
    const int64_t outNumel = checkedIntOutputNumel(outShape, p.name);

    const int64_t cinG = g.cinPerGroup();
    const int64_t coutG = g.coutPerGroup();
    // oneDNN 2.6's jit deconvolution writes garbage to output rows/columns that no kernel tap
    // reaches (stride larger than the dilated kernel). Extending the kernel with zero taps until
    // it spans the stride makes every position a computed one; the extra taps add 0.
    const auto extended = [](int64_t k, int64_t s, int64_t d) {
        return (k - 1) * d + 1 >= s ? k : (s - 1 + d - 1) / d + 1;
    };
    const int64_t kh = extended(g.kh, g.sh, g.dh);
    const int64_t kw = extended(g.kw, g.sw, g.dw);
    // ONNX [C_in, C_out/g, kH, kW] = [g][ic_g][oc_g][ky][kx] -> oneDNN goihw = [g][oc_g][ic_g][ky][kx].
    std::vector<int8_t> wt(static_cast<size_t>(g.cout * cinG * kh * kw), 0);
    std::vector<int64_t> absWeightSum(static_cast<size_t>(g.cout), 0);
    int64_t maxAbsW = 0;
    for (int64_t grp = 0; grp < g.group; ++grp)
        for (int64_t icg = 0; icg < cinG; ++icg)
            for (int64_t ocg = 0; ocg < coutG; ++ocg)
                for (int64_t ky = 0; ky < g.kh; ++ky)
                    for (int64_t kx = 0; kx < g.kw; ++kx) {
                        const int8_t q = w.values[static_cast<size_t>(
                            ((((grp * cinG + icg) * coutG) + ocg) * g.kh + ky) * g.kw + kx)];
                        wt[static_cast<size_t>(((((grp * coutG + ocg) * cinG) + icg) * kh + ky) * kw + kx)] = q;
                        absWeightSum[static_cast<size_t>(grp * coutG + ocg)] += std::abs(int64_t{q});
                        maxAbsW = std::max(maxAbsW, std::abs(int64_t{q}));
                    }
    // The all-ones batch element reads code 1.
    const IntKernelPath path = intDnnlPath(absWeightSum, intMaxActivationCode(largestCode, 1), maxAbsW);
    if (path == IntKernelPath::Reference)
        return intConvTransposeReference(x, w, p);
    const int64_t codeBatches = intDnnlBlocks(path) * g.n;  // the batch before the all-ones element

    const int64_t fh = g.sh * (g.h - 1) + (kh - 1) * g.dh + 1;
    const int64_t fw = g.sw * (g.w - 1) + (kw - 1) * g.dw + 1;
    const int64_t inPerSample = g.cin * g.h * g.w;
    const int64_t fullNumel = checkedIntOutputNumel({codeBatches + 1, g.cout, fh, fw}, p.name);
    std::vector<uint8_t> src(static_cast<size_t>((codeBatches + 1) * inPerSample), 1);
    if (path == IntKernelPath::OneDnnSplit) {
        const std::vector<uint8_t> split = intSplitCodes(x.values);
        std::copy(split.begin(), split.end(), src.begin());
    } else {
        std::copy(x.values.begin(), x.values.end(), src.begin());
    }
    std::vector<int32_t> full(static_cast<size_t>(fullNumel));
    std::vector<uint8_t> dstScratch;
    try {
        using dnnl::memory;
        using tag = memory::format_tag;
        using dt = memory::data_type;
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        const memory::dims srcDims{codeBatches + 1, g.cin, g.h, g.w};
        const memory::dims dstDims{codeBatches + 1, g.cout, fh, fw};
        const bool grouped = g.group > 1;
        const memory::dims weiDims = grouped ? memory::dims{g.group, coutG, cinG, kh, kw}
                                             : memory::dims{g.cout, g.cin, kh, kw};
        const dnnl::deconvolution_forward::desc desc(
            dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct,
            memory::desc(srcDims, dt::u8, tag::any), memory::desc(weiDims, dt::s8, tag::any),
            memory::desc(dstDims, dt::s32, tag::any), {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {0, 0},
            {0, 0});
        const dnnl::deconvolution_forward::primitive_desc pd(desc, eng);

        memory srcUser({srcDims, dt::u8, tag::nchw}, eng, src.data());
        memory weiUser({weiDims, dt::s8, grouped ? tag::goihw : tag::oihw}, eng, wt.data());
        memory dstUser({dstDims, dt::s32, tag::nchw}, eng, full.data());
        intDnnlRunReordered(dnnl::deconvolution_forward(pd), pd, srcUser, weiUser, dstUser, stream, dstScratch);
    } catch (const dnnl::error&) {
        return intConvTransposeReference(x, w, p);
    }

    IntAccumulators out = intDnnlAccumulators(outShape, g.cout, static_cast<size_t>(outNumel), path);
    const int64_t ones = codeBatches;  // batch index of T(1)
    const size_t sampleSize = static_cast<size_t>(g.n * g.cout * fh * fw);  // one block of samples
    size_t o = 0;
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t oc = 0; oc < g.cout; ++oc)
            for (int64_t oy = 0; oy < g.oh; ++oy)
                for (int64_t ox = 0; ox < g.ow; ++ox) {
                    const int64_t fy = oy + g.pt;
                    const int64_t fx = ox + g.pl;
                    int64_t exact = 0;  // beyond the full output (output_padding): no input reaches
                    if (fy < fh && fx < fw) {
                        const auto index = [&](int64_t b) {
                            return static_cast<size_t>(((b * g.cout + oc) * fh + fy) * fw + fx);
                        };
                        exact = intDnnlJoinedSum(full, index(n), sampleSize, path) -
                                x.zeroPoint * int64_t{full[index(ones)]};
                    }
                    out.values[o++] = narrowAccumulator(exact, out, oc);
                }
    return out;
}

} // namespace bg
