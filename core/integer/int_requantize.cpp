#include "integer/int_requantize.h"

#include "io/error.h"
#include "arithmetic/quant_math.h"
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "integer/code_lookup.h"
#include "integer/exact_requantize_simd.h"

namespace bg {

namespace {

// One row of a channel: t = acc + pre (saturated, counted) requantized by `value`; returns the
// row's bias overflows.
template <class Value>
int64_t requantizeRow(const int32_t* in, uint8_t* out, int64_t n, int64_t pre, const Value& value)
{
    int64_t overflows = 0;
    for (int64_t j = 0; j < n; ++j)
        out[j] = static_cast<uint8_t>(value(addBiasChecked(in[j], pre, overflows)));
    return overflows;
}

// A channel's bias overflows into the result's counts, from any thread of the team (rare: atomic).
void addBiasOverflows(RequantizeResult& r, size_t channel, int64_t overflows)
{
    if (overflows == 0)
        return;
    std::atomic_ref<int64_t>(r.biasChannelOverflows[channel]).fetch_add(overflows, std::memory_order_relaxed);
    std::atomic_ref<int64_t>(r.biasOverflows).fetch_add(overflows, std::memory_order_relaxed);
}

// No two-channel shortcut: every element through the scalar Value.
struct NoPair {
    bool operator()(const int32_t*, size_t, uint8_t*) const { return false; }
};

#if defined(__SSE2__)
// requantizeValue(addBiasChecked(acc_c, pre_c), M_c, post_c, zp, lo, hi) for the channels c and c+1
// of one pixel at once, in SSE2 doubles, with the scalar form's operations: acc + pre (exact in
// double: below 2^33), M·t rounded once, round half away from zero from the exact truncation and
// fraction, zp + post (an exact integer) added, clamped. Returns false, writing nothing, when a lane
// is outside where that holds: t beyond int32 (a bias overflow, saturated and counted by the scalar
// form), |M·t| ≥ 2^31 (the truncation's range) or NaN.
struct ExactPair {
    const double* multiplier;
    const double* pre;
    const double* zpPost;
    double lo, hi;

    bool operator()(const int32_t* in, size_t c, uint8_t* out) const
    {
        const __m128d acc = _mm_cvtepi32_pd(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + c)));
        const __m128d t = _mm_add_pd(acc, _mm_loadu_pd(pre + c));
        const __m128d x = _mm_mul_pd(_mm_loadu_pd(multiplier + c), t);
        const __m128d absMask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
        const __m128d safe = _mm_and_pd(
            _mm_and_pd(_mm_cmpge_pd(t, _mm_set1_pd(-2147483648.0)), _mm_cmple_pd(t, _mm_set1_pd(2147483647.0))),
            _mm_cmplt_pd(_mm_and_pd(x, absMask), _mm_set1_pd(2147483648.0)));
        if (_mm_movemask_pd(safe) != 3)
            return false;
        const __m128d k = _mm_cvtepi32_pd(_mm_cvttpd_epi32(x));
        const __m128d f = _mm_sub_pd(x, k);
        const __m128d one = _mm_set1_pd(1.0);
        const __m128d r = _mm_sub_pd(_mm_add_pd(k, _mm_and_pd(_mm_cmpge_pd(f, _mm_set1_pd(0.5)), one)),
                                     _mm_and_pd(_mm_cmple_pd(f, _mm_set1_pd(-0.5)), one));
        const __m128d v = _mm_min_pd(_mm_max_pd(_mm_add_pd(_mm_loadu_pd(zpPost + c), r), _mm_set1_pd(lo)), _mm_set1_pd(hi));
        const __m128i q = _mm_cvttpd_epi32(v);
        out[0] = static_cast<uint8_t>(_mm_cvtsi128_si32(q));
        out[1] = static_cast<uint8_t>(_mm_cvtsi128_si32(_mm_srli_si128(q, 4)));
        return true;
    }
};
#endif

// No vector tile loop: the pixels go through Pair and Value alone.
struct NoTile {
    int64_t operator()(const int32_t*, int64_t, int64_t, uint8_t*, TileStrides, std::vector<int64_t>&) const { return 0; }
};


// A tile's codes through a chain's code table into the output, [t][c] (pixel-major) with table
// c·256 of a per-channel one. Out of line, with every bound a value parameter: inside the tile
// loop the bounds were references that a store through uint8_t* may alias, and the loop reloaded
// them from memory for every byte (three quarters of the tile loop's own time).
void applyCodeTableChannelsLast(const uint8_t* __restrict codes, int64_t pixels, int64_t channels,
                                const uint8_t* __restrict table, bool perChannel, uint8_t* __restrict out)
{
    const int64_t n = pixels * channels;
    if (!perChannel) {
        lookupCodes(codes, n, table, out);
        return;
    }
    for (int64_t i = 0; i < n; i += channels)
        for (int64_t c = 0; c < channels; ++c)
            out[i + c] = table[c * 256 + codes[i + c]];
}

// Channels-last accumulators ([N, spatial, C], IntAccumulators::channelsLast): a tile of pixels is
// requantized into a small buffer, then written into the NCHW codes a row of pixels at a time (or,
// with channelsLastOutput, into the NHWC codes as one run). Each
// element's value is the scalar Value of the channels-first loop below, or the Pair that computes
// the same for two channels at once, or the Tile loop that does so for the channels below a
// multiple of four of a whole tile: the same bits.
// Channels-last accumulators of pixels [pixel0, pixel0 + pixels) of each of `images` images:
// image n's at values + n·imageStride, [pixels][channels].
struct ChannelsLastSource {
    const int32_t* values;
    int64_t images, imageStride, pixel0, pixels;
};

template <class Value, class Pair, class Tile = NoTile>
void requantizeChannelsLast(const ChannelsLastSource& src, int64_t channels, int64_t inner, const RequantizeParams& p,
                            RequantizeResult& r, const Value& value, const Pair& pair, const Tile& tileLoop = {})
{
    constexpr int64_t kTile = 64;
    const int64_t outer = src.images;
    const int64_t tilesPerImage = (src.pixels + kTile - 1) / kTile;
    // The cost weighs an element as a few element-wise operations (double arithmetic and branches),
    // so that mid-sized layers also use the team.
    parallelRanges(outer * tilesPerImage, 8 * kTile * channels, [&](int64_t begin, int64_t end) {
        std::vector<uint8_t> tile(static_cast<size_t>(kTile * channels));
        const TileStrides strides = p.channelsLastOutput ? TileStrides{1, channels} : TileStrides{kTile, 1};
        const auto at = [&](int64_t c, int64_t t) { return static_cast<size_t>(c * strides.channel + t * strides.pixel); };
        std::vector<int64_t> redo;
        const auto scalar = [&](const int32_t* px, int64_t c, int64_t t) {
            const size_t ci = static_cast<size_t>(c);
            int64_t overflows = 0;
            const int32_t biased = addBiasChecked(px[c], p.preBias.empty() ? 0 : p.preBias[ci], overflows);
            tile[at(c, t)] = static_cast<uint8_t>(value(ci, biased));
            addBiasOverflows(r, ci, overflows);
        };
        for (int64_t job = begin; job < end; ++job) {
            const int64_t n = job / tilesPerImage;
            const int64_t p0 = (job % tilesPerImage) * kTile;
            const int64_t count = std::min(kTile, src.pixels - p0);
            const int32_t* in = src.values + n * src.imageStride + p0 * channels;
            redo.clear();
            const int64_t done = tileLoop(in, count, channels, tile.data(), strides, redo);
            for (const int64_t item : redo)
                for (int64_t c = item % channels; c < item % channels + 4; ++c)
                    scalar(in + (item / channels) * channels, c, item / channels);
            for (int64_t t = 0; t < count; ++t) {
                const int32_t* px = in + t * channels;
                int64_t c = done;
                for (; c + 2 <= channels; c += 2) {
                    uint8_t two[2];
                    if (pair(px, static_cast<size_t>(c), two)) {
                        tile[at(c, t)] = two[0];
                        tile[at(c + 1, t)] = two[1];
                    } else {
                        scalar(px, c, t);
                        scalar(px, c + 1, t);
                    }
                }
                for (; c < channels; ++c)
                    scalar(px, c, t);
            }
            if (p.channelsLastOutput) {
                uint8_t* dst = r.output.values.data() + (n * inner + src.pixel0 + p0) * channels;
                if (!p.codeTable) {
                    std::copy_n(tile.data(), count * channels, dst);
                    continue;
                }
                applyCodeTableChannelsLast(tile.data(), count, channels, p.codeTable, p.codeTablePerChannel, dst);
                continue;
            }
            for (int64_t c = 0; c < channels; ++c) {
                const uint8_t* codes = tile.data() + c * kTile;
                uint8_t* dst = r.output.values.data() + (n * channels + c) * inner + src.pixel0 + p0;
                if (!p.codeTable) {
                    std::copy_n(codes, count, dst);
                    continue;
                }
                lookupCodes(codes, count, p.codeTable + (p.codeTablePerChannel ? c * 256 : 0), dst);
            }
        }
    });
}

} // namespace

namespace {

// The clamp's top: p.clampMax, or 2^n_a − 1 when unset.
int64_t clampTop(const RequantizeParams& p)
{
    return p.clampMax < 0 ? activationQmax(p.bits) : p.clampMax;
}

// requantize's checks of the parameters for accumulators of `shape`; returns the clamp's top.
int64_t checkedClampMax(const Shape& shape, int channelAxis, const RequantizeParams& p, const std::string& subject)
{
    const int rank = static_cast<int>(shape.size());
    if (channelAxis < 0 || channelAxis >= rank)
        throw Error(ErrorCode::BadSetting, subject,
                    "channel axis " + std::to_string(channelAxis) + " is outside accumulators " + shapeToString(shape));
    if (p.bits < 2 || p.bits > 8)
        throw Error(ErrorCode::BadSetting, subject, "activation bits must be in 2..8");
    if (p.zeroPoint < 0 || p.zeroPoint > activationQmax(p.bits))
        throw Error(ErrorCode::BadSetting, subject,
                    "output zero point " + std::to_string(p.zeroPoint) + " is outside the " +
                        std::to_string(p.bits) + "-bit range");
    const int64_t channels = shape[static_cast<size_t>(channelAxis)];
    const auto checkSize = [&](size_t size, bool optional, const char* what) {
        if ((optional && size == 0) || static_cast<int64_t>(size) == channels)
            return;
        throw Error(ErrorCode::BadSetting, subject,
                    std::string(what) + " has " + std::to_string(size) + " values for " +
                        std::to_string(channels) + " channels");
    };
    checkSize(p.multiplier.size(), false, "multiplier");
    checkSize(p.preBias.size(), true, "pre-scale bias");
    checkSize(p.postBias.size(), true, "post-scale bias");
    checkSize(p.multiplierOrt.size(), true, "float32 multiplier");
    checkSize(p.chainScale.size(), true, "float32 chain scale");
    checkSize(p.chainPost.size(), p.chainScale.empty(), "float32 chain post-scale bias");
    const int64_t qmax = activationQmax(p.bits);
    const int64_t clampMax = clampTop(p);
    if (p.clampMin < 0 || clampMax > qmax)
        throw Error(ErrorCode::BadSetting, subject,
                    "output clamp [" + std::to_string(p.clampMin) + ", " + std::to_string(clampMax) +
                        "] is not inside [0, " + std::to_string(qmax) + "]");
    // A non-finite M_c is allowed (requantizeValue's NaN rule); post_c is added after rounding in
    // double, so only the pre-scale part must fit the 32-bit accumulator's bias register.
    for (int64_t b : p.preBias)
        if (b < signedMin(32) || b > signedMax(32))
            throw Error(ErrorCode::BadSetting, subject,
                        "bias " + std::to_string(b) + " does not fit a 32-bit bias register");
    return clampMax;
}

RequantizeResult emptyResult(const Shape& shape, int64_t channels, const RequantizeParams& p)
{
    RequantizeResult r;
    r.output.shape = shape;
    r.output.zeroPoint = p.zeroPoint;
    r.output.bits = p.bits;
    r.output.channelsLast = p.channelsLastOutput;
    r.output.values.resize(static_cast<size_t>(shapeNumel(shape)));
    r.biasChannelOverflows.assign(static_cast<size_t>(channels), 0);
    return r;
}

// The exact form's operands in double, for its vector loops, and the float32 screen's
// (exact_requantize_simd.h), a NaN multiplier for each channel the screen's proof does not cover.
struct ExactOperandStore {
    std::vector<double> pre, zpPost;
    std::vector<float> screenMultiplier, screenZpPost;
    std::vector<int32_t> screenPre;
    ExactRequantOperands ops;

    ExactOperandStore(const RequantizeParams& p, int64_t channels, int64_t clampMax)
        : pre(static_cast<size_t>(channels), 0.0), zpPost(static_cast<size_t>(channels)),
          screenMultiplier(static_cast<size_t>(channels)), screenZpPost(static_cast<size_t>(channels)),
          screenPre(static_cast<size_t>(channels), 0)
    {
        for (size_t c = 0; c < pre.size(); ++c) {
            const int64_t preC = p.preBias.empty() ? 0 : p.preBias[c];
            pre[c] = static_cast<double>(preC);
            zpPost[c] = static_cast<double>(p.zeroPoint + (p.postBias.empty() ? 0 : p.postBias[c]));
            const double m = p.multiplier[c];
            const bool proven = preC >= std::numeric_limits<int32_t>::min() && preC <= std::numeric_limits<int32_t>::max()
                && std::abs(zpPost[c]) <= kScreenMaxZpPost && std::isfinite(m) && std::abs(m) <= 0x1p64;
            screenMultiplier[c] = proven ? static_cast<float>(m) : std::numeric_limits<float>::quiet_NaN();
            screenPre[c] = proven ? static_cast<int32_t>(preC) : 0;
            screenZpPost[c] = static_cast<float>(zpPost[c]);
        }
        ops = ExactRequantOperands{p.multiplier.data(), pre.data(), zpPost.data(), static_cast<double>(p.clampMin),
                                   static_cast<double>(clampMax)};
        if (p.clampMin >= 0 && clampMax <= 255) {
            ops.screenMultiplier = screenMultiplier.data();
            ops.screenPre = screenPre.data();
            ops.screenZpPost = screenZpPost.data();
        }
    }
};

// Channels-last accumulators of `src` into r.output ([N, channels, inner]), in p's arithmetic.
void requantizeChannelsLastSource(const ChannelsLastSource& src, int64_t channels, int64_t inner,
                                  const RequantizeParams& p, int64_t clampMax, RequantizeResult& r)
{
    const int64_t qmax = activationQmax(p.bits);
    const auto post = [&](size_t ci) { return p.postBias.empty() ? int64_t{0} : p.postBias[ci]; };
    if (!p.multiplierOrt.empty()) {
        requantizeChannelsLast(src, channels, inner, p, r, [&](size_t ci, int32_t t) {
            return requantizeValueOrt(t, p.multiplierOrt[ci], p.zeroPoint, p.clampMin, clampMax);
        }, NoPair{});
        return;
    }
    if (!p.chainScale.empty()) {
        requantizeChannelsLast(src, channels, inner, p, r, [&](size_t ci, int32_t t) {
            return requantizeValueOrtChain(t, p.chainScale[ci], p.chainPost[ci], p.outputScale, p.zeroPoint, qmax,
                                           p.clampMin, clampMax);
        }, NoPair{});
        return;
    }
    if (p.arithmetic == Arithmetic::OnnxRuntime) {
        requantizeChannelsLast(src, channels, inner, p, r, [&](size_t ci, int32_t t) {
            return requantizeValueEven(t, p.multiplier[ci], post(ci), p.zeroPoint, p.clampMin, clampMax);
        }, NoPair{});
        return;
    }
    const auto exact = [&](size_t ci, int32_t t) {
        return requantizeValue(t, p.multiplier[ci], post(ci), p.zeroPoint, p.clampMin, clampMax);
    };
#if defined(__SSE2__)
    const ExactOperandStore store(p, channels, clampMax);
    const ExactRequantOperands& ops = store.ops;
    const ExactPair pair{ops.multiplier, ops.pre, ops.zpPost, ops.lo, ops.hi};
    const auto tiles = [&](auto tileLoop) {
        requantizeChannelsLast(src, channels, inner, p, r, exact, pair,
                               [&](const int32_t* in, int64_t count, int64_t ch, uint8_t* tile, TileStrides strides,
                                   std::vector<int64_t>& redo) { return tileLoop(in, count, ch, ops, tile, strides, redo); });
    };
    const RequantizeSimd simd = std::min(p.simd, requantizeSimdAvailable());
    if (simd == RequantizeSimd::Avx512)
        tiles(exactTileAvx512);
    else if (simd == RequantizeSimd::Avx2)
        tiles(exactTileAvx2);
    else if (simd == RequantizeSimd::Sse2)
        requantizeChannelsLast(src, channels, inner, p, r, exact, pair);
    else
        requantizeChannelsLast(src, channels, inner, p, r, exact, NoPair{});
#else
    requantizeChannelsLast(src, channels, inner, p, r, exact, NoPair{});
#endif
}

int64_t innerSize(const Shape& shape, int channelAxis)
{
    int64_t inner = 1;
    for (size_t i = static_cast<size_t>(channelAxis) + 1; i < shape.size(); ++i)
        inner *= shape[i];
    return inner;
}

} // namespace

RequantizeResult requantizeBegin(const Shape& shape, const RequantizeParams& p, const std::string& subject)
{
    if (shape.size() < 3)
        throw Error(ErrorCode::BadSetting, subject, "strips of accumulators need spatial axes, got " + shapeToString(shape));
    checkedClampMax(shape, 1, p, subject);
    return emptyResult(shape, shape[1], p);
}

void requantizeStrip(const int32_t* values, int64_t pixel0, int64_t pixels, const RequantizeParams& p,
                     RequantizeResult& r)
{
    const Shape& shape = r.output.shape;
    const int64_t channels = shape[1], inner = innerSize(shape, 1);
    requantizeChannelsLastSource(ChannelsLastSource{values, shape[0], pixels * channels, pixel0, pixels}, channels, inner,
                                 p, clampTop(p), r);
}

RequantizeResult requantize(const IntAccumulators& acc, int channelAxis, const RequantizeParams& p,
                            const std::string& subject)
{
    const int rank = static_cast<int>(acc.shape.size());
    const int64_t clampMax = checkedClampMax(acc.shape, channelAxis, p, subject);
    if (p.channelsLastOutput && (channelAxis != 1 || rank < 3))
        throw Error(ErrorCode::BadSetting, subject, "channels-last codes need channels on axis 1 and spatial axes");
    if (static_cast<int64_t>(acc.values.size()) != shapeNumel(acc.shape))
        throw Error(ErrorCode::ShapeMismatch, subject, "accumulators do not match their shape");
    const int64_t channels = acc.shape[static_cast<size_t>(channelAxis)];
    const int64_t qmax = activationQmax(p.bits);
    int64_t outer = 1;
    for (int i = 0; i < channelAxis; ++i)
        outer *= acc.shape[static_cast<size_t>(i)];
    const int64_t inner = innerSize(acc.shape, channelAxis);

    RequantizeResult r = emptyResult(acc.shape, channels, p);
    r.kernelOverflows = acc.overflowCount;
    // Element (o, c, j) of [outer, channels, inner]: the channel's parameters are read once per run of
    // `inner` elements, and the inner loop holds no division, allocation or out-of-line call. Rows
    // (o, c) run on the thread team (each element on its own: the same bits); a row's bias
    // overflows, rare, are added atomically.
    const bool ortFused = !p.multiplierOrt.empty();
    const bool ortChain = !p.chainScale.empty();
    const bool even = p.arithmetic == Arithmetic::OnnxRuntime;
    // One channel: channels-last is channels-first, and the row loops below run it a chunk of
    // pixels at a time.
    if (acc.channelsLast && channels > 1) {
        if (channelAxis != 1 || rank < 2)
            throw Error(ErrorCode::BadSetting, subject, "channels-last accumulators have their channels on axis 1");
        requantizeChannelsLastSource(ChannelsLastSource{acc.values.data(), outer, inner * channels, 0, inner}, channels,
                                     inner, p, clampMax, r);
        return r;
    }
    const RequantizeSimd simd = std::min(p.simd, requantizeSimdAvailable());
    const ExactOperandStore store(p, channels, clampMax);
    const ExactRequantOperands& ops = store.ops;
    // Rows of `inner` elements in chunks, so that a tensor of few channels (one, after a
    // ConvTranspose to a single map) still uses the team.
    constexpr int64_t kChunk = 4096;
    const int64_t chunks = (inner + kChunk - 1) / kChunk;
    parallelRanges(outer * channels * chunks, std::min(inner, kChunk), [&](int64_t begin, int64_t end) {
        std::vector<int64_t> redo;
        for (int64_t job = begin; job < end; ++job) {
            const int64_t row = job / chunks, j0 = (job % chunks) * kChunk, len = std::min(kChunk, inner - j0);
            const size_t ci = static_cast<size_t>(row % channels);
            const int32_t* in = acc.values.data() + row * inner + j0;
            uint8_t* out = r.output.values.data() + row * inner + j0;
            const double m = p.multiplier[ci];
            const int64_t preC = p.preBias.empty() ? 0 : p.preBias[ci];
            const int64_t post = p.postBias.empty() ? 0 : p.postBias[ci];
            int64_t overflows = 0;
            if (ortFused) {
                const float mf = p.multiplierOrt[ci];
                overflows = requantizeRow(in, out, len, preC, [&](int32_t t) {
                    return requantizeValueOrt(t, mf, p.zeroPoint, p.clampMin, clampMax);
                });
            } else if (ortChain) {
                const float k = p.chainScale[ci], pf = p.chainPost[ci];
                overflows = requantizeRow(in, out, len, preC, [&](int32_t t) {
                    return requantizeValueOrtChain(t, k, pf, p.outputScale, p.zeroPoint, qmax, p.clampMin, clampMax);
                });
            } else if (even) {
                overflows = requantizeRow(in, out, len, preC, [&](int32_t t) {
                    return requantizeValueEven(t, m, post, p.zeroPoint, p.clampMin, clampMax);
                });
            } else {
                const auto value = [&](int32_t t) { return requantizeValue(t, m, post, p.zeroPoint, p.clampMin, clampMax); };
                int64_t done = 0;
                if (simd >= RequantizeSimd::Avx2) {
                    ExactRequantOperands channel{&ops.multiplier[ci], &ops.pre[ci], &ops.zpPost[ci], ops.lo, ops.hi};
                    if (ops.screenMultiplier) {
                        channel.screenMultiplier = ops.screenMultiplier + ci;
                        channel.screenPre = ops.screenPre + ci;
                        channel.screenZpPost = ops.screenZpPost + ci;
                    }
                    const bool wide = simd == RequantizeSimd::Avx512;
                    redo.clear();
                    done = wide ? exactRowAvx512(in, len, channel, out, redo) : exactRowAvx2(in, len, channel, out, redo);
                    for (const int64_t i : redo)
                        overflows += requantizeRow(in + i, out + i, wide ? 8 : 4, preC, value);
                }
                overflows += requantizeRow(in + done, out + done, len - done, preC, value);
            }
            if (p.codeTable)  // in place: each step reads its 32 codes before it writes them
                lookupCodes(out, len, p.codeTable + (p.codeTablePerChannel ? ci * 256 : 0), out);
            addBiasOverflows(r, ci, overflows);
        }
    });
    if (p.channelsLastOutput) {  // written channels-first above
        r.output.channelsLast = false;
        r.output = activationChannelsLast(std::move(r.output));
    }
    return r;
}

} // namespace bg
