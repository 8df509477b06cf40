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
#include <memory>

namespace bg {

namespace {

// q_x (NCHW) into the interior of the zp-filled NHWC buffer [N, hp, wp, C]: a oneDNN reorder (a jit
// transposition on the thread team) into a strided view of the interior; the plain loop where oneDNN
// has none. Either copies every code once: the same bytes.
void copyIntoPaddedNhwc(const QuantActivation& x, const IntConv2dGeometry& g, int64_t hp, int64_t wp, uint8_t* xpad)
{
    uint8_t* interior = xpad + (g.pt * wp + g.pl) * g.cin;
    if (x.channelsLast) {
        // Already NHWC: each input row is one contiguous run of the interior.
        parallelRanges(g.n * g.h, g.w * g.cin, [&](int64_t begin, int64_t end) {
            for (int64_t ny = begin; ny < end; ++ny) {
                const int64_t n = ny / g.h, y = ny % g.h;
                std::copy_n(x.values.data() + ny * g.w * g.cin, g.w * g.cin, interior + (n * hp + y) * wp * g.cin);
            }
        });
        return;
    }
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

// The padded positions of the NHWC buffer [N, hp, wp, C] set to zp (the interior is the codes'
// copy's): whole rows above and below, the left and right columns beside. Only those bytes: the
// buffer is not filled first and then overwritten.
void fillPaddingBorder(uint8_t* xpad, const IntConv2dGeometry& g, int64_t hp, int64_t wp, uint8_t zp)
{
    const int64_t rowBytes = wp * g.cin;
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t y = 0; y < hp; ++y) {
            uint8_t* row = xpad + (n * hp + y) * rowBytes;
            if (y < g.pt || y >= g.pt + g.h) {
                std::fill_n(row, rowBytes, zp);
                continue;
            }
            std::fill_n(row, g.pl * g.cin, zp);
            std::fill_n(row + (g.pl + g.w) * g.cin, (wp - g.pl - g.w) * g.cin, zp);
        }
}

// The sums S of one strip ([blocks][N·pixels][C]) into acc = S − zp·Σq_w, in block 0. acc =
// Σ q_w·(q_x − zp) with q_x − zp in [−zp, maxX − zp], so |acc| ≤ Σ|q_w|·maxX (maxX counts zp), which
// guard (1) holds to int32, and so |zp·Σq_w|: both fit int32. The split's halves are joined as
// (hi << 7) + lo, bounded the same way, so the sums in 32-bit unsigned arithmetic (which wraps,
// defined) end on the exact value. Pixels on the thread team; loops the compiler vectorises.
void subtractZeroPoint(std::vector<int32_t>& strip, int64_t blockSize, const std::vector<int32_t>& zpSum, IntKernelPath path)
{
    const int64_t channels = static_cast<int64_t>(zpSum.size());
    const int32_t* zp = zpSum.data();
    int32_t* all = strip.data();
    const bool split = path == IntKernelPath::OneDnnSplit;
    parallelRanges(blockSize / channels, channels, [=](int64_t begin, int64_t end) {
        for (int64_t pix = begin; pix < end; ++pix) {
            int32_t* row = all + pix * channels;
            if (!split) {
                for (int64_t c = 0; c < channels; ++c)
                    row[c] -= zp[c];
                continue;
            }
            const int32_t* lo = row + blockSize;
            for (int64_t c = 0; c < channels; ++c)
                row[c] = static_cast<int32_t>((static_cast<uint32_t>(row[c]) << kIntSplitShift) + static_cast<uint32_t>(lo[c])
                                              - static_cast<uint32_t>(zp[c]));
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
    // One strip of every row: the whole tensor, moved out of the strip.
    IntAccumulators out;
    const IntKernelPath path =
        intConvFastStrips(x, w, p, std::numeric_limits<int64_t>::max(), [&](std::vector<int32_t>& values, int64_t, int64_t) {
            out.values = std::move(values);
        });
    if (path == IntKernelPath::Reference)
        return intConvReference(activationChannelsFirst(x), w, p);
    out.shape = intConvOutputShape(x.shape, w.shape, p);
    out.path = path;
    out.channelOverflows.assign(static_cast<size_t>(out.shape[1]), 0);
    out.channelsLast = true;
    return out;
}

IntKernelPath intConvFastStrips(const QuantActivation& x, const QuantWeight& w, const IntConvParams& p, int64_t stripBytes,
                                const IntConvStripSink& sink)
{
    const uint8_t largestCode = validateActivation(x, p.name, true);
    IntConvWeightSums ownSums;
    if (!p.weightSums)
        ownSums = intConvWeightSums(w, p.name);
    const IntConvWeightSums& sums0 = p.weightSums ? *p.weightSums : ownSums;
    const IntConv2dGeometry g =
        intConvGeometry(x.shape, w.shape, p.group, p.strides, p.dilations, p.padsBegin, p.padsEnd, p.name);
    if (static_cast<int64_t>(sums0.sum.size()) != g.cout || sums0.absSum.size() != sums0.sum.size())
        throw Error(ErrorCode::ShapeMismatch, p.name, "weight sums do not match the weight's output channels");
    checkedIntOutputNumel(g.outputShape(), p.name);

    const int64_t maxX = intMaxActivationCode(largestCode, x.zeroPoint);
    const IntKernelPath path = intDnnlPath(sums0.absSum, maxX, sums0.maxAbs);
    if (path == IntKernelPath::Reference)
        return path;
    const int64_t blocks = intDnnlBlocks(path);
    const int64_t hp = g.h + g.pt + g.pb;
    const int64_t wp = g.w + g.pl + g.pr;
    const int64_t padNumel = checkedIntOutputNumel({g.n, g.cin, hp, wp}, p.name);
    // Rows of output per strip: the strip's sums (every block and image) within stripBytes.
    const int64_t rowBytes = blocks * g.n * g.ow * g.cout * static_cast<int64_t>(sizeof(int32_t));
    const int64_t rowsPerStrip = std::clamp<int64_t>(stripBytes / std::max<int64_t>(rowBytes, 1), 1, g.oh);
    const auto inputRows = [&](int64_t rows) { return (rows - 1) * g.sh + (g.kh - 1) * g.dh + 1; };

    std::vector<int32_t> zpSum(static_cast<size_t>(g.cout));
    for (int64_t c = 0; c < g.cout; ++c)
        zpSum[static_cast<size_t>(c)] = static_cast<int32_t>(x.zeroPoint * sums0.sum[static_cast<size_t>(c)]);
    try {
        using dnnl::memory;
        using tag = memory::format_tag;
        using dt = memory::data_type;
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        const bool grouped = g.group > 1;
        const memory::dims weiDims = grouped
            ? memory::dims{g.group, g.coutPerGroup(), g.cinPerGroup(), g.kh, g.kw}
            : memory::dims{g.cout, g.cin, g.kh, g.kw};
        // One image (or split block) of `rows` output rows: NHWC, the layout oneDNN's int8
        // convolutions work in, so neither source nor sums are reordered. The scratchpad is the
        // call's own: a primitive from oneDNN's cache may be running on another thread.
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        const auto makePd = [&](int64_t rows) {
            const memory::desc srcMd({1, g.cin, inputRows(rows), wp}, dt::u8, tag::nhwc);
            const memory::desc dstMd({1, g.cout, rows, g.ow}, dt::s32, tag::nhwc);
            const dnnl::convolution_forward::desc desc(
                dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, srcMd,
                memory::desc(weiDims, dt::s8, tag::any), dstMd, {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {0, 0}, {0, 0});
            return dnnl::convolution_forward::primitive_desc(desc, attr, eng);
        };
        const int64_t lastRows = g.oh % rowsPerStrip == 0 ? rowsPerStrip : g.oh % rowsPerStrip;
        const dnnl::convolution_forward::primitive_desc pd = makePd(rowsPerStrip);
        const dnnl::convolution_forward::primitive_desc pdLast = lastRows == rowsPerStrip ? pd : makePd(lastRows);
        for (const auto* d : {&pd, &pdLast})
            if (!intDnnlStoreIsExact(d->impl_info_str(), sums0.absSum, maxX, path))
                return IntKernelPath::Reference;

        // oneDNN takes a non-const handle; the weights are only read. Reordered once for every strip.
        memory weiUser({weiDims, dt::s8, grouped ? tag::goihw : tag::oihw}, eng, const_cast<int8_t*>(w.values.data()));
        const memory wei = intDnnlReorderIfNeeded(weiUser, pd.weights_desc(), stream);
        const memory weiLast = pdLast.weights_desc() == pd.weights_desc() ? wei : intDnnlReorderIfNeeded(weiUser, pdLast.weights_desc(), stream);
        const dnnl::convolution_forward conv(pd), convLast(pdLast);
        std::vector<uint8_t> scratch(std::max(pd.scratchpad_desc().get_size(), pdLast.scratchpad_desc().get_size()));

        // q_x into the interior of the zp-filled NHWC buffer [N, hp, wp, C] (padded positions then
        // read zp_x, as §6 says), split into its hi and lo blocks where the path says.
        // Every byte written once: the border, the interior, then (split) each byte's two halves.
        const auto xpad = std::make_unique_for_overwrite<uint8_t[]>(static_cast<size_t>(blocks * padNumel));
        fillPaddingBorder(xpad.get(), g, hp, wp, static_cast<uint8_t>(x.zeroPoint));
        copyIntoPaddedNhwc(x, g, hp, wp, xpad.get());
        if (path == IntKernelPath::OneDnnSplit)
            intSplitCodesInPlace(xpad.get(), static_cast<size_t>(padNumel));

        std::vector<int32_t> strip;
        for (int64_t row0 = 0; row0 < g.oh; row0 += rowsPerStrip) {
            const int64_t rows = std::min(rowsPerStrip, g.oh - row0);
            const bool last = row0 + rows == g.oh;
            const auto& stripPd = last ? pdLast : pd;
            const int64_t blockSize = g.n * rows * g.ow * g.cout;  // one block's sums of the strip
            // Grown once (the first strip is the largest) and not shrunk before the last strip:
            // a resize back up would zero the split's lo block again for every strip.
            if (strip.size() < static_cast<size_t>(blocks * blockSize))
                strip.resize(static_cast<size_t>(blocks * blockSize));
            for (int64_t b = 0; b < blocks * g.n; ++b) {
                memory src(stripPd.src_desc(), eng, xpad.get() + (b * hp + row0 * g.sh) * wp * g.cin);
                memory dst(stripPd.dst_desc(), eng, strip.data() + b * rows * g.ow * g.cout);
                memory pad(stripPd.scratchpad_desc(), eng, scratch.data());
                (last ? convLast : conv).execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, last ? weiLast : wei},
                                                          {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, pad}});
            }
            stream.wait();
            subtractZeroPoint(strip, blockSize, zpSum, path);
            if (last)
                strip.resize(static_cast<size_t>(blockSize));  // the split path's lo block is consumed
            sink(strip, row0, rows);
        }
    } catch (const dnnl::error&) {
        // No oneDNN implementation for this shape: the reference is slower but equally exact.
        return IntKernelPath::Reference;
    }
    return path;
}

} // namespace bg
