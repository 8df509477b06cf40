// intConvFast: oneDNN does the u8×s8→s32 work; the zero point is handled outside oneDNN so that
// padding is exact without relying on how a library version treats padded positions:
//   1. copy q_x into an NHWC buffer padded with zp_x (padded positions then read zp_x, as §6 says);
//   2. oneDNN convolution WITHOUT padding gives S = Σ_k q_w·q_xpad (exact, see the guards);
//   3. acc = S − zp_x·Σ_k q_w,c,k — a constant per output channel, computed in int64.
// On a CPU without VNNI, 8-bit codes times 8-bit weights run split (int_dnnl_support.h): the padded
// input's hi and lo halves are the two halves of a batch of 2N.
#include "integer/int_conv.h"
#include "integer/int_conv_geometry.h"
#include "integer/int_dnnl_support.h"
#include "io/error.h"
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>

namespace bg {

namespace {

// q_x (NCHW) into the interior of the zp-filled NHWC buffer [N, hp, wp, C]: a oneDNN reorder (a jit
// transposition on the thread team) into a strided view of the interior; the plain loop where oneDNN
// has none. Either copies every code once: the same bytes.
void copyIntoPaddedNhwc(const QuantActivation& x, const IntConv2dGeometry& g, int64_t hp, int64_t wp, uint8_t* xpad)
{
    uint8_t* interior = xpad + (g.pt * wp + g.pl) * g.cin;
    try {
        using dnnl::memory;
        const memory::dims dims{g.n, g.cin, g.h, g.w};
        const memory::desc srcMd(dims, memory::data_type::u8, memory::format_tag::nchw);
        const memory::desc dstMd(dims, memory::data_type::u8, memory::dims{hp * wp * g.cin, 1, wp * g.cin, g.cin});
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        memory src(srcMd, eng, const_cast<uint8_t*>(x.values.data()));  // only read
        memory dst(dstMd, eng, interior);
        dnnl::reorder(src, dst).execute(stream, src, dst);
        stream.wait();
        return;
    } catch (const dnnl::error&) {
    }
    parallelRanges(g.n * g.h, g.cin * g.w, [&](int64_t begin, int64_t end) {
        for (int64_t ny = begin; ny < end; ++ny) {
            const int64_t n = ny / g.h, y = ny % g.h;
            uint8_t* dstRow = xpad + ((n * hp + y + g.pt) * wp + g.pl) * g.cin;
            for (int64_t c = 0; c < g.cin; ++c) {
                const uint8_t* row = x.values.data() + ((n * g.cin + c) * g.h + y) * g.w;
                for (int64_t xx = 0; xx < g.w; ++xx)
                    dstRow[xx * g.cin + c] = row[xx];
            }
        }
    });
}

} // namespace

IntConvWeightSums intConvWeightSums(const QuantWeight& w, const std::string& subject)
{
    validateWeight(w, subject);
    if (w.shape.size() < 2 || w.shape[0] <= 0)
        throw Error(ErrorCode::ShapeMismatch, subject, "Conv weight " + shapeToString(w.shape) + " has no output channels");
    const int64_t cout = w.shape[0];
    const int64_t kPerChannel = static_cast<int64_t>(w.values.size()) / cout;
    IntConvWeightSums s;
    s.sum.assign(static_cast<size_t>(cout), 0);
    s.absSum.assign(static_cast<size_t>(cout), 0);
    for (int64_t c = 0; c < cout; ++c)
        for (int64_t k = 0; k < kPerChannel; ++k) {
            const int64_t q = w.values[static_cast<size_t>(c * kPerChannel + k)];
            s.sum[static_cast<size_t>(c)] += q;
            s.absSum[static_cast<size_t>(c)] += std::abs(q);
            s.maxAbs = std::max(s.maxAbs, std::abs(q));
        }
    return s;
}

IntAccumulators intConvFast(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p)
{
    return accumulatorsChannelsFirst(intConvFastChannelsLast(x, w, p));
}

IntAccumulators intConvFastChannelsLast(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p)
{
    const uint8_t largestCode = validateActivation(x, p.name);
    IntConvWeightSums ownSums;
    if (!p.weightSums)
        ownSums = intConvWeightSums(w, p.name);
    const IntConvWeightSums& sums0 = p.weightSums ? *p.weightSums : ownSums;
    const IntConv2dGeometry g =
        intConvGeometry(x.shape, w.shape, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.name);
    if (static_cast<int64_t>(sums0.sum.size()) != g.cout || sums0.absSum.size() != sums0.sum.size())
        throw Error(ErrorCode::ShapeMismatch, p.name, "weight sums do not match the weight's output channels");
    const Shape outShape = g.outputShape();
    const int64_t outNumel = checkedIntOutputNumel(outShape, p.name);

    const IntKernelPath path = intDnnlPath(sums0.absSum, intMaxActivationCode(largestCode, x.zeroPoint), sums0.maxAbs);
    if (path == IntKernelPath::Reference)
        return intConvReference(x, w, p);
    const int64_t blocks = intDnnlBlocks(path);
    const int64_t hp = g.h + g.pt + g.pb;
    const int64_t wp = g.w + g.pl + g.pr;
    const int64_t padNumel = checkedIntOutputNumel({g.n, g.cin, hp, wp}, p.name);
    // NHWC: the layout oneDNN's int8 convolutions work in, so no reorder of src or dst is needed.
    // The copies in and out run on the thread team (each element written once: the same bits).
    std::vector<uint8_t> xpad(static_cast<size_t>(padNumel), static_cast<uint8_t>(x.zeroPoint));
    copyIntoPaddedNhwc(x, g, hp, wp, xpad.data());
    if (path == IntKernelPath::OneDnnSplit)
        xpad = intSplitCodes(xpad);

    std::vector<int32_t> sums;
    std::vector<uint8_t> dstScratch;
    try {
        using dnnl::memory;
        using tag = memory::format_tag;
        using dt = memory::data_type;
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        const memory::dims srcDims{blocks * g.n, g.cin, hp, wp};
        const memory::dims dstDims{blocks * g.n, g.cout, g.oh, g.ow};
        const bool grouped = g.group > 1;
        const memory::dims weiDims = grouped
            ? memory::dims{g.group, g.coutPerGroup(), g.cinPerGroup(), g.kh, g.kw}
            : memory::dims{g.cout, g.cin, g.kh, g.kw};
        const memory::desc srcMd(srcDims, dt::u8, tag::nhwc);
        const memory::desc weiAny(weiDims, dt::s8, tag::any);
        const memory::desc dstMd(dstDims, dt::s32, tag::nhwc);
        const dnnl::convolution_forward::desc desc(
            dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, srcMd,
            weiAny, dstMd, {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {0, 0}, {0, 0});
        const dnnl::convolution_forward::primitive_desc pd(desc, eng);
        if (!intDnnlStoreIsExact(pd.impl_info_str(), sums0.absSum, intMaxActivationCode(largestCode, x.zeroPoint), path))
            return intConvReference(x, w, p);

        memory srcUser(srcMd, eng, xpad.data());
        // oneDNN takes a non-const handle; the weights are only read.
        memory weiUser({weiDims, dt::s8, grouped ? tag::goihw : tag::oihw}, eng,
                       const_cast<int8_t*>(w.values.data()));
        sums.resize(static_cast<size_t>(blocks * outNumel));
        memory dstUser(dstMd, eng, sums.data());

        intDnnlRunReordered(dnnl::convolution_forward(pd), pd, srcUser, weiUser, dstUser, stream, dstScratch);
    } catch (const dnnl::error&) {
        // No oneDNN implementation for this shape: the reference is slower but equally exact.
        return intConvReference(x, w, p);
    }

    // sums is NHWC (per block), and so are the accumulators: acc = S − zp·Σq_w in place, pixels in
    // parallel. acc = Σ q_w·(q_x − zp) with q_x − zp in [−zp, maxX − zp], so |acc| ≤ Σ|q_w|·maxX (maxX
    // counts zp), which guard (1) holds to int32, and so |zp·Σq_w|: both fit int32.
    IntAccumulators out = intDnnlAccumulators(outShape, g.cout, 0, path);
    out.channelsLast = true;
    std::vector<int32_t> zpSum(static_cast<size_t>(g.cout));
    for (int64_t c = 0; c < g.cout; ++c)
        zpSum[static_cast<size_t>(c)] = static_cast<int32_t>(x.zeroPoint * sums0.sum[static_cast<size_t>(c)]);
    if (path == IntKernelPath::OneDnn) {
        // The subtraction in int32, which the compiler vectorises.
        parallelRanges(outNumel / g.cout, g.cout, [&](int64_t begin, int64_t end) {
            for (int64_t pix = begin; pix < end; ++pix) {
                int32_t* row = sums.data() + pix * g.cout;
                for (int64_t c = 0; c < g.cout; ++c)
                    row[c] -= zpSum[static_cast<size_t>(c)];
            }
        });
        out.values = std::move(sums);
        return out;
    }
    // The split halves joined in int64, narrowed with narrowAccumulator's saturation and counted
    // atomically all the same.
    const size_t blockSize = static_cast<size_t>(outNumel);
    // The halves joined: (hi << 7) + lo = Σ q_w·q_x and acc = that − zp·Σq_w are both bounded by
    // Σ|q_w|·maxX, which guard (1) holds to int32 (as above), so the sums in 32-bit unsigned
    // arithmetic (which wraps, defined) end on the exact value: a loop the compiler vectorises.
    parallelRanges(outNumel / g.cout, g.cout, [&sums, &zpSum, blockSize, channels = g.cout](int64_t begin, int64_t end) {
        const int32_t* zp = zpSum.data();
        int32_t* all = sums.data();
        for (int64_t pix = begin; pix < end; ++pix) {
            int32_t* hi = all + pix * channels;
            const int32_t* lo = hi + blockSize;
            for (int64_t c = 0; c < channels; ++c)
                hi[c] = static_cast<int32_t>((static_cast<uint32_t>(hi[c]) << kIntSplitShift) + static_cast<uint32_t>(lo[c])
                                             - static_cast<uint32_t>(zp[c]));
        }
    });
    sums.resize(blockSize);  // the split path's lo block is consumed
    out.values = std::move(sums);
    return out;
}

} // namespace bg
