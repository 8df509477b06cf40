#include "calibration/channel_ranges.h"

#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bg {

namespace {

BlockStats checkedStats(const float* data, size_t n)
{
    BlockStats s{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
    for (size_t k = 0; k < n; ++k) {
        const float x = data[k];
        if (!std::isfinite(x)) {
            s.nonFinite = true;
            continue;
        }
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
        s.sumSquares += static_cast<double>(x) * static_cast<double>(x);
        ++s.finite;
    }
    return s;
}

} // namespace

BlockStats blockStats(const float* data, size_t n)
{
    constexpr float inf = std::numeric_limits<float>::infinity();
    float mn = inf, mx = -inf;
    bool nan = false;
    double sq = 0.0;
    size_t i = 0;
#if defined(__SSE2__)
    {
        // _mm_min_ps(v, m) returns m when v is NaN; NaNs are caught by the unordered compare.
        __m128 mn0 = _mm_set1_ps(inf), mn1 = mn0;
        __m128 mx0 = _mm_set1_ps(-inf), mx1 = mx0;
        __m128 bad = _mm_setzero_ps();
        __m128d s0 = _mm_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
        for (; i + 8 <= n; i += 8) {
            const __m128 v0 = _mm_loadu_ps(data + i);
            const __m128 v1 = _mm_loadu_ps(data + i + 4);
            mn0 = _mm_min_ps(v0, mn0);
            mn1 = _mm_min_ps(v1, mn1);
            mx0 = _mm_max_ps(v0, mx0);
            mx1 = _mm_max_ps(v1, mx1);
            bad = _mm_or_ps(bad, _mm_or_ps(_mm_cmpunord_ps(v0, v0), _mm_cmpunord_ps(v1, v1)));
            const __m128d d0 = _mm_cvtps_pd(v0), d1 = _mm_cvtps_pd(_mm_movehl_ps(v0, v0));
            const __m128d d2 = _mm_cvtps_pd(v1), d3 = _mm_cvtps_pd(_mm_movehl_ps(v1, v1));
            s0 = _mm_add_pd(s0, _mm_mul_pd(d0, d0));
            s1 = _mm_add_pd(s1, _mm_mul_pd(d1, d1));
            s2 = _mm_add_pd(s2, _mm_mul_pd(d2, d2));
            s3 = _mm_add_pd(s3, _mm_mul_pd(d3, d3));
        }
        float lanes[8];
        _mm_storeu_ps(lanes, _mm_min_ps(mn0, mn1));
        _mm_storeu_ps(lanes + 4, _mm_max_ps(mx0, mx1));
        for (int l = 0; l < 4; ++l) {
            mn = std::min(mn, lanes[l]);
            mx = std::max(mx, lanes[4 + l]);
        }
        nan = _mm_movemask_ps(bad) != 0;
        double parts[2];
        _mm_storeu_pd(parts, _mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3)));
        sq = parts[0] + parts[1];
    }
#endif
    for (; i < n; ++i) {
        const float v = data[i];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        nan = nan || v != v;
        sq += static_cast<double>(v) * static_cast<double>(v);
    }
    // NaN never wins a comparison, so only ±inf can reach min/max (or an empty block).
    if (!nan && std::isfinite(mn) && std::isfinite(mx))
        return BlockStats{mn, mx, false, static_cast<int64_t>(n), sq};
    return checkedStats(data, n);
}

std::optional<BlockStats> ChannelRanges::add(const Tensor& t)
{
    if (!t.isFloat() || t.rank() < 2 || t.numel() == 0)
        return std::nullopt;
    const auto channels = static_cast<size_t>(t.dim(1));
    const int64_t inner = t.numel() / (t.dim(0) * t.dim(1));
    if (min_.empty()) {
        min_.assign(channels, std::numeric_limits<double>::infinity());
        max_.assign(channels, -std::numeric_limits<double>::infinity());
        sumSquares_.assign(channels, 0.0);
        counts_.assign(channels, 0);
    }
    if (min_.size() != channels)
        return std::nullopt;  // a shape change between samples: keep the first shape's channels
    const auto v = t.floats();
    BlockStats whole{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
    std::mutex combine;
    // Channels are independent, so they are split across threads; each channel's blocks are added
    // in sample-row order whatever the thread count.
    for (int64_t n = 0; n < t.dim(0); ++n)
        parallelRanges(static_cast<int64_t>(channels), inner, [&](int64_t c0, int64_t c1) {
            BlockStats part{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
            for (auto c = static_cast<size_t>(c0); c < static_cast<size_t>(c1); ++c) {
                const float* block = v.data() + (static_cast<size_t>(n) * channels + c) * static_cast<size_t>(inner);
                const BlockStats b = blockStats(block, static_cast<size_t>(inner));
                if (b.finite > 0) {
                    min_[c] = std::min(min_[c], static_cast<double>(b.min));
                    max_[c] = std::max(max_[c], static_cast<double>(b.max));
                }
                sumSquares_[c] += b.sumSquares;
                counts_[c] += b.finite;
                part.min = std::min(part.min, b.min);
                part.max = std::max(part.max, b.max);
                part.nonFinite = part.nonFinite || b.nonFinite;
                part.finite += b.finite;
            }
            const std::lock_guard<std::mutex> lock(combine);
            whole.min = std::min(whole.min, part.min);
            whole.max = std::max(whole.max, part.max);
            whole.nonFinite = whole.nonFinite || part.nonFinite;
            whole.finite += part.finite;
        });
    return whole;
}

std::vector<double> ChannelRanges::channelMin() const
{
    std::vector<double> out(min_.size());
    for (size_t c = 0; c < min_.size(); ++c)
        out[c] = min_[c] > max_[c] ? 0.0 : min_[c];
    return out;
}

std::vector<double> ChannelRanges::channelMax() const
{
    std::vector<double> out(max_.size());
    for (size_t c = 0; c < max_.size(); ++c)
        out[c] = min_[c] > max_[c] ? 0.0 : max_[c];
    return out;
}

std::vector<double> ChannelRanges::channelMeanSquare() const
{
    std::vector<double> out(counts_.size(), 0.0);
    for (size_t c = 0; c < counts_.size(); ++c)
        if (counts_[c] > 0)
            out[c] = sumSquares_[c] / static_cast<double>(counts_[c]);
    return out;
}

} // namespace bg
