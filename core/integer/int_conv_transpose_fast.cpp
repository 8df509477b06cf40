// intConvTransposeFast: a transposed convolution has no padded READS (pads crop the output), so
// the zero point is removed as  acc = T(q_x) − zp_x·T(1), where T is the deconvolution and T(1)
// is the deconvolution of an all-ones input — the sum of the weights reaching each output
// position. oneDNN computes T(q_x); T(1) is summed here from the weights: a position's taps depend
// on its row and its column alone, so T(1) takes one value per channel for each pair of (row taps,
// column taps), of which there are a handful. (It used to ride along as an extra batch element,
// which doubled oneDNN's work.)
// oneDNN runs with zero padding (the full output, nhwc) and the pads/output_padding are applied by
// cropping here, so no negative padding or version-specific output_padding handling is needed.
// Split codes (no VNNI, int_dnnl_support.h) make the batch [hi(x), lo(x)].
#include "integer/int_conv_geometry.h"
#include "integer/int_conv_transpose.h"
#include "integer/int_dnnl_support.h"
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>

namespace bg {

namespace {

// Per full-output coordinate f along one axis: the id of its set of kernel taps k (those with
// f = i·s + k·d for an input index 0 <= i < in), and the sets themselves.
struct AxisTaps {
    std::vector<int> idOf;                  // per coordinate
    std::vector<std::vector<int64_t>> sets;  // per id: the taps
};

AxisTaps axisTaps(int64_t full, int64_t in, int64_t k, int64_t s, int64_t d)
{
    AxisTaps a;
    std::map<std::vector<int64_t>, int> ids;
    a.idOf.resize(static_cast<size_t>(full));
    for (int64_t f = 0; f < full; ++f) {
        std::vector<int64_t> taps;
        for (int64_t t = 0; t < k; ++t) {
            const int64_t r = f - t * d;
            if (r >= 0 && r % s == 0 && r / s < in)
                taps.push_back(t);
        }
        auto [it, added] = ids.emplace(taps, static_cast<int>(a.sets.size()));
        if (added)
            a.sets.push_back(taps);
        a.idOf[static_cast<size_t>(f)] = it->second;
    }
    return a;
}

} // namespace

IntAccumulators intConvTransposeFast(const QuantActivation& x, const QuantWeight& w,
                                     const IntConvTransposeParams& p)
{
    return accumulatorsChannelsFirst(intConvTransposeFastChannelsLast(x, w, p));
}

IntAccumulators intConvTransposeFastChannelsLast(const QuantActivation& x, const QuantWeight& w,
                                                 const IntConvTransposeParams& p)
{
    const uint8_t largestCode = validateActivation(x, p.name, true);
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
    // Per tap and output channel, the weights summed over the group's input channels: T(1)'s parts.
    std::vector<int64_t> tapSum(static_cast<size_t>(g.kh * g.kw * g.cout), 0);  // [ky][kx][oc]
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
                        tapSum[static_cast<size_t>((ky * g.kw + kx) * g.cout + grp * coutG + ocg)] += q;
                        maxAbsW = std::max(maxAbsW, std::abs(int64_t{q}));
                    }
    const IntKernelPath path = intDnnlPath(absWeightSum, intMaxActivationCode(largestCode, 0), maxAbsW);
    if (path == IntKernelPath::Reference)
        return intConvTransposeReference(activationChannelsFirst(x), w, p);
    const int64_t codeBatches = intDnnlBlocks(path) * g.n;

    const int64_t fh = g.sh * (g.h - 1) + (kh - 1) * g.dh + 1;
    const int64_t fw = g.sw * (g.w - 1) + (kw - 1) * g.dw + 1;
    const int64_t fullNumel = checkedIntOutputNumel({codeBatches, g.cout, fh, fw}, p.name);
    // The source NHWC, the layout oneDNN's int8 deconvolution works in: given so, it is not reordered
    // (from NCHW codes, that reorder of the detector's 24x320x320 split input took 7.5 of a 150 ms
    // integer run). Codes channels-first (a producer with other readers) are transposed here once.
    QuantActivation transposed;
    const QuantActivation& xl = x.channelsLast ? x : (transposed = activationChannelsLast(x));
    std::vector<uint8_t> split;
    if (path == IntKernelPath::OneDnnSplit)
        split = intSplitCodes(xl.values);
    // oneDNN only reads the source: the codes themselves, not a copy.
    uint8_t* src = const_cast<uint8_t*>(path == IntKernelPath::OneDnnSplit ? split.data() : xl.values.data());
    std::vector<int32_t> full(static_cast<size_t>(fullNumel));
    std::vector<uint8_t> dstScratch;
    try {
        using dnnl::memory;
        using tag = memory::format_tag;
        using dt = memory::data_type;
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        const memory::dims srcDims{codeBatches, g.cin, g.h, g.w};
        const memory::dims dstDims{codeBatches, g.cout, fh, fw};
        const bool grouped = g.group > 1;
        const memory::dims weiDims = grouped ? memory::dims{g.group, coutG, cinG, kh, kw}
                                             : memory::dims{g.cout, g.cin, kh, kw};
        const dnnl::deconvolution_forward::desc desc(
            dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct,
            memory::desc(srcDims, dt::u8, tag::any), memory::desc(weiDims, dt::s8, tag::any),
            memory::desc(dstDims, dt::s32, tag::any), {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {0, 0},
            {0, 0});
        const dnnl::deconvolution_forward::primitive_desc pd(desc, eng);
        if (!intDnnlStoreIsExact(pd.impl_info_str(), absWeightSum, intMaxActivationCode(largestCode, 0), path))
            return intConvTransposeReference(activationChannelsFirst(x), w, p);

        memory srcUser({srcDims, dt::u8, tag::nhwc}, eng, src);
        memory weiUser({weiDims, dt::s8, grouped ? tag::goihw : tag::oihw}, eng, wt.data());
        memory dstUser({dstDims, dt::s32, tag::nhwc}, eng, full.data());
        intDnnlRunReordered(dnnl::deconvolution_forward(pd), pd, srcUser, weiUser, dstUser, stream, dstScratch);
    } catch (const dnnl::error&) {
        return intConvTransposeReference(activationChannelsFirst(x), w, p);
    }

    // T(1) per (row taps, column taps) and channel: Σ over the taps of tapSum.
    const AxisTaps rows = axisTaps(fh, g.h, g.kh, g.sh, g.dh), cols = axisTaps(fw, g.w, g.kw, g.sw, g.dw);
    const size_t nc = cols.sets.size();
    std::vector<int64_t> ones(rows.sets.size() * nc * static_cast<size_t>(g.cout), 0);  // [row id][col id][oc]
    for (size_t ry = 0; ry < rows.sets.size(); ++ry)
        for (size_t cx = 0; cx < nc; ++cx)
            for (int64_t ky : rows.sets[ry])
                for (int64_t kx : cols.sets[cx])
                    for (int64_t oc = 0; oc < g.cout; ++oc)
                        ones[(ry * nc + cx) * static_cast<size_t>(g.cout) + static_cast<size_t>(oc)] +=
                            tapSum[static_cast<size_t>((ky * g.kw + kx) * g.cout + oc)];

    // Cropped to the pads, channels last like oneDNN's output: [N, oh, ow, C].
    IntAccumulators out = intDnnlAccumulators(outShape, g.cout, static_cast<size_t>(outNumel), path);
    out.channelsLast = true;
    const size_t sampleSize = static_cast<size_t>(g.n * g.cout * fh * fw);  // one block of samples
    const size_t C = static_cast<size_t>(g.cout);
    // Where every channel's |Σ q_w·(q_x − zp)| ≤ Σ|q_w|·max(max q_x, zp) fits int32 (so do the joined
    // halves of a split, T(q_x) ≤ Σ|q_w|·max q_x, and zp·T(1) ≤ zp·Σ|q_w|), no sum can overflow and
    // the crop computes in 32-bit unsigned arithmetic, which wraps (defined) and ends on the exact
    // value: a loop over the channels the compiler vectorises. Otherwise in int64, saturated and
    // counted.
    const int64_t reach = std::max<int64_t>(largestCode, x.zeroPoint);
    bool fits32 = true;
    for (const int64_t s : absWeightSum)
        fits32 = fits32 && s * reach <= std::numeric_limits<int32_t>::max();
    std::vector<uint32_t> zpOnes(fits32 ? ones.size() : 0);
    for (size_t i = 0; i < zpOnes.size(); ++i)
        zpOnes[i] = static_cast<uint32_t>(static_cast<int32_t>(x.zeroPoint * ones[i]));
    const bool halves = path == IntKernelPath::OneDnnSplit;
    // Output rows on the thread team, each element on its own (the same values); in int64,
    // overflows, which the guard makes impossible off the split path, are counted atomically.
    parallelRanges(g.n * g.oh, g.ow * g.cout, [&](int64_t r0, int64_t r1) {
        for (int64_t row = r0; row < r1; ++row) {
            const int64_t n = row / g.oh, oy = row % g.oh, fy = oy + g.pt;
            int32_t* o = out.values.data() + static_cast<size_t>(row * g.ow) * C;
            for (int64_t ox = 0; ox < g.ow; ++ox, o += C) {
                const int64_t fx = ox + g.pl;
                if (fy >= fh || fx >= fw)  // beyond the full output (output_padding): no input reaches, 0
                    continue;
                const size_t at = static_cast<size_t>(((n * fh + fy) * fw + fx) * g.cout);
                const size_t taps = (static_cast<size_t>(rows.idOf[static_cast<size_t>(fy)]) * nc
                                     + static_cast<size_t>(cols.idOf[static_cast<size_t>(fx)])) * C;
                const int32_t* hi = full.data() + at;
                const int32_t* lo = hi + sampleSize;
                const uint32_t* zt = zpOnes.data() + (fits32 ? taps : 0);
                if (fits32 && halves) {
                    for (size_t oc = 0; oc < C; ++oc)
                        o[oc] = static_cast<int32_t>((static_cast<uint32_t>(hi[oc]) << kIntSplitShift)
                                                     + static_cast<uint32_t>(lo[oc]) - zt[oc]);
                } else if (fits32) {
                    for (size_t oc = 0; oc < C; ++oc)
                        o[oc] = static_cast<int32_t>(static_cast<uint32_t>(hi[oc]) - zt[oc]);
                } else {
                    const int64_t* t1 = ones.data() + taps;
                    for (size_t oc = 0; oc < C; ++oc)
                        o[oc] = narrowAccumulatorAtomically(
                            intDnnlJoinedSum(full, at + oc, sampleSize, path) - x.zeroPoint * t1[oc], out,
                            static_cast<int64_t>(oc));
                }
            }
        }
    });
    return out;
}

} // namespace bg
