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
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace bg {

namespace {

// narrowAccumulator's counting, from several threads at once.
void countAccumulatorOverflowAtomically(IntAccumulators& acc, int64_t channel)
{
    std::atomic_ref<int64_t>(acc.overflowCount).fetch_add(1, std::memory_order_relaxed);
    if (!acc.channelOverflows.empty())
        std::atomic_ref<int64_t>(acc.channelOverflows[static_cast<size_t>(channel)])
            .fetch_add(1, std::memory_order_relaxed);
}

} // namespace

IntAccumulators intConvFast(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p)
{
    validateActivation(x, p.name);
    validateWeight(w, p.name);
    const IntConv2dGeometry g =
        intConvGeometry(x.shape, w.shape, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.name);
    const Shape outShape = g.outputShape();
    const int64_t outNumel = checkedIntOutputNumel(outShape, p.name);

    const int64_t kPerChannel = g.cinPerGroup() * g.kh * g.kw;
    std::vector<int64_t> weightSum(static_cast<size_t>(g.cout), 0);
    std::vector<int64_t> absWeightSum(static_cast<size_t>(g.cout), 0);
    int64_t maxAbsW = 0;
    for (int64_t c = 0; c < g.cout; ++c)
        for (int64_t k = 0; k < kPerChannel; ++k) {
            const int64_t q = w.values[static_cast<size_t>(c * kPerChannel + k)];
            weightSum[static_cast<size_t>(c)] += q;
            absWeightSum[static_cast<size_t>(c)] += std::abs(q);
            maxAbsW = std::max(maxAbsW, std::abs(q));
        }
    const IntKernelPath path = intDnnlPath(absWeightSum, intMaxActivationCode(x, x.zeroPoint), maxAbsW);
    if (path == IntKernelPath::Reference)
        return intConvReference(x, w, p);
    const int64_t blocks = intDnnlBlocks(path);

    const int64_t hp = g.h + g.pt + g.pb;
    const int64_t wp = g.w + g.pl + g.pr;
    const int64_t padNumel = checkedIntOutputNumel({g.n, g.cin, hp, wp}, p.name);
    // NHWC: the layout oneDNN's int8 convolutions work in, so no reorder of src or dst is needed.
    // The copies in and out run on the thread team (each element written once: the same bits).
    std::vector<uint8_t> xpad(static_cast<size_t>(padNumel), static_cast<uint8_t>(x.zeroPoint));
    parallelRanges(g.n * g.h, g.cin * g.w, [&](int64_t begin, int64_t end) {
        for (int64_t ny = begin; ny < end; ++ny) {
            const int64_t n = ny / g.h, y = ny % g.h;
            uint8_t* dstRow = xpad.data() + ((n * hp + y + g.pt) * wp + g.pl) * g.cin;
            for (int64_t c = 0; c < g.cin; ++c) {
                const uint8_t* row = x.values.data() + ((n * g.cin + c) * g.h + y) * g.w;
                for (int64_t xx = 0; xx < g.w; ++xx)
                    dstRow[xx * g.cin + c] = row[xx];
            }
        }
    });
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

    IntAccumulators out = intDnnlAccumulators(outShape, g.cout, static_cast<size_t>(outNumel), path);
    // sums is NHWC (per block); the accumulators are NCHW. Rows (n, oy) in parallel; an overflow
    // (rare: S fits int32 by guard (1), S − zp·Σq_w may not) is counted atomically.
    parallelRanges(g.n * g.oh, g.ow * g.cout, [&](int64_t begin, int64_t end) {
        for (int64_t noy = begin; noy < end; ++noy) {
            const int64_t n = noy / g.oh, oy = noy % g.oh;
            size_t i = static_cast<size_t>(noy * g.ow * g.cout);
            for (int64_t ox = 0; ox < g.ow; ++ox)
                for (int64_t c = 0; c < g.cout; ++c, ++i) {
                    const int64_t exact = intDnnlJoinedSum(sums, i, static_cast<size_t>(outNumel), path) -
                                          x.zeroPoint * weightSum[static_cast<size_t>(c)];
                    int64_t overflow = 0;
                    out.values[static_cast<size_t>(((n * g.cout + c) * g.oh + oy) * g.ow + ox)] =
                        narrowAccumulator(exact, overflow);
                    if (overflow != 0)
                        countAccumulatorOverflowAtomically(out, c);
                }
        }
    });
    return out;
}

} // namespace bg
