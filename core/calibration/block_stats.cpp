#include "calibration/block_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bg {

namespace {

template <bool Squares>
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
        if constexpr (Squares)
            s.sumSquares += static_cast<double>(x) * static_cast<double>(x);
        ++s.finite;
    }
    return s;
}

// The common case (all finite) in one branch-free pass; only a block that turns out to hold NaN or
// ±inf pays for the checking one.
template <bool Squares>
BlockStats stats(const float* data, size_t n)
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
            if constexpr (Squares) {
                const __m128d d0 = _mm_cvtps_pd(v0), d1 = _mm_cvtps_pd(_mm_movehl_ps(v0, v0));
                const __m128d d2 = _mm_cvtps_pd(v1), d3 = _mm_cvtps_pd(_mm_movehl_ps(v1, v1));
                s0 = _mm_add_pd(s0, _mm_mul_pd(d0, d0));
                s1 = _mm_add_pd(s1, _mm_mul_pd(d1, d1));
                s2 = _mm_add_pd(s2, _mm_mul_pd(d2, d2));
                s3 = _mm_add_pd(s3, _mm_mul_pd(d3, d3));
            }
        }
        float lanes[8];
        _mm_storeu_ps(lanes, _mm_min_ps(mn0, mn1));
        _mm_storeu_ps(lanes + 4, _mm_max_ps(mx0, mx1));
        for (int l = 0; l < 4; ++l) {
            mn = std::min(mn, lanes[l]);
            mx = std::max(mx, lanes[4 + l]);
        }
        nan = _mm_movemask_ps(bad) != 0;
        if constexpr (Squares) {
            double parts[2];
            _mm_storeu_pd(parts, _mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3)));
            sq = parts[0] + parts[1];
        }
    }
#endif
    for (; i < n; ++i) {
        const float v = data[i];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        nan = nan || v != v;
        if constexpr (Squares)
            sq += static_cast<double>(v) * static_cast<double>(v);
    }
    // NaN never wins a comparison, so only ±inf can reach min/max (or an empty block).
    if (!nan && std::isfinite(mn) && std::isfinite(mx))
        return BlockStats{mn, mx, false, static_cast<int64_t>(n), sq};
    return checkedStats<Squares>(data, n);
}

} // namespace

BlockStats blockStats(const float* data, size_t n)
{
    return stats<true>(data, n);
}

BlockStats blockRange(const float* data, size_t n)
{
    return stats<false>(data, n);
}

} // namespace bg
