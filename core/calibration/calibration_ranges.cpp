#include "calibration/calibration_ranges.h"

#include "runtime/kernels/parallel_ranges.h"

#include <mutex>

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bg {

namespace {

struct Scan {
    float min;
    float max;
    bool nonFinite;
};

// The common case (all finite) in one branch-free pass (SSE2 on x86-64: GCC does not vectorise a
// float min/max reduction without -ffast-math); only a tensor that turns out to hold NaN/inf pays for
// a second, checking pass.
Scan scan(const float* data, size_t n)
{
    constexpr size_t kLanes = 8;
    constexpr float inf = std::numeric_limits<float>::infinity();
    float mn[kLanes];
    float mx[kLanes];
    int nan[kLanes];
    for (size_t l = 0; l < kLanes; ++l) {
        mn[l] = inf;
        mx[l] = -inf;
        nan[l] = 0;
    }
    size_t i = 0;
#if defined(__SSE2__)
    {
        // _mm_min_ps(v, m) returns m when v is NaN, like the scalar `v < m ? v : m` below.
        __m128 mn0 = _mm_set1_ps(inf), mn1 = mn0;
        __m128 mx0 = _mm_set1_ps(-inf), mx1 = mx0;
        __m128 bad = _mm_setzero_ps();
        for (; i + kLanes <= n; i += kLanes) {
            const __m128 v0 = _mm_loadu_ps(data + i);
            const __m128 v1 = _mm_loadu_ps(data + i + 4);
            mn0 = _mm_min_ps(v0, mn0);
            mn1 = _mm_min_ps(v1, mn1);
            mx0 = _mm_max_ps(v0, mx0);
            mx1 = _mm_max_ps(v1, mx1);
            bad = _mm_or_ps(bad, _mm_or_ps(_mm_cmpunord_ps(v0, v0), _mm_cmpunord_ps(v1, v1)));
        }
        _mm_storeu_ps(mn, mn0);
        _mm_storeu_ps(mn + 4, mn1);
        _mm_storeu_ps(mx, mx0);
        _mm_storeu_ps(mx + 4, mx1);
        nan[0] = _mm_movemask_ps(bad);
    }
#endif
    for (; i + kLanes <= n; i += kLanes) {
        for (size_t l = 0; l < kLanes; ++l) {
            const float v = data[i + l];
            mn[l] = v < mn[l] ? v : mn[l];
            mx[l] = v > mx[l] ? v : mx[l];
            nan[l] |= static_cast<int>(v != v);
        }
    }
    for (; i < n; ++i) {
        const float v = data[i];
        mn[0] = v < mn[0] ? v : mn[0];
        mx[0] = v > mx[0] ? v : mx[0];
        nan[0] |= static_cast<int>(v != v);
    }
    Scan s{inf, -inf, false};
    for (size_t l = 0; l < kLanes; ++l) {
        s.min = std::min(s.min, mn[l]);
        s.max = std::max(s.max, mx[l]);
        s.nonFinite = s.nonFinite || nan[l] != 0;
    }
    // NaN never wins a comparison, so only ±inf can reach min/max.
    if (!s.nonFinite && std::isfinite(s.min) && std::isfinite(s.max))
        return s;
    s = Scan{inf, -inf, true};
    for (size_t k = 0; k < n; ++k) {
        if (!std::isfinite(data[k]))
            continue;
        s.min = std::min(s.min, data[k]);
        s.max = std::max(s.max, data[k]);
    }
    return s;
}

} // namespace

void RangeAccumulator::add(const std::string& name, const Tensor& tensor)
{
    if (!tensor.isFloat())
        return;
    if (tensor.numel() == 0) {
        // A zero-size tensor is still a tensor the model computes: it gets an entry (count 0, range
        // [0, 0]) so that the integer runtime quantizes it instead of calling it uncalibrated.
        ranges_.try_emplace(name, Running{std::numeric_limits<float>::infinity(),
                                          -std::numeric_limits<float>::infinity(), false, 0});
        return;
    }
    const auto values = tensor.floats();
    // Min, max and "any non-finite" do not depend on the order they are taken in: a big tensor is
    // scanned in one chunk per thread and the chunks combined, the same result as one scan.
    Scan s{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), false};
    std::mutex combine;
    parallelRanges(static_cast<int64_t>(values.size()), 1, [&](int64_t begin, int64_t end) {
        const Scan part = scan(values.data() + begin, static_cast<size_t>(end - begin));
        const std::lock_guard<std::mutex> lock(combine);
        s.min = std::min(s.min, part.min);
        s.max = std::max(s.max, part.max);
        s.nonFinite = s.nonFinite || part.nonFinite;
    });
    addScanned(name, s.min, s.max, s.nonFinite, tensor);
}

void RangeAccumulator::addScanned(const std::string& name, float min, float max, bool nonFinite, const Tensor& tensor)
{
    auto [it, inserted] = ranges_.try_emplace(name, Running{min, max, nonFinite, 0, tensor.rank()});
    Running& r = it->second;
    if (!inserted) {
        r.min = std::min(r.min, min);
        r.max = std::max(r.max, max);
        r.nonFinite = r.nonFinite || nonFinite;
    }
    r.count += tensor.numel();
}

RangeTable RangeAccumulator::table() const
{
    RangeTable table;
    for (const auto& [name, r] : ranges_) {
        const bool anyFinite = r.min <= r.max;
        TensorRange range{anyFinite ? r.min : 0.0, anyFinite ? r.max : 0.0};
        range.nonFinite = r.nonFinite;
        range.count = r.count;
        range.rank = r.rank;
        table.emplace(name, range);
    }
    return table;
}

} // namespace bg
