#include "quantization/calibration_ranges.h"

#include <cmath>
#include <limits>

namespace bg {

namespace {

struct Scan {
    float min;
    float max;
    bool nonFinite;
};

// The common case (all finite) in a branch-free loop over independent lanes that the compiler can
// vectorise; only a tensor that turns out to hold NaN/inf pays for a second, checking pass.
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
    if (!tensor.isFloat() || tensor.numel() == 0)
        return;
    const auto values = tensor.floats();
    const Scan s = scan(values.data(), values.size());
    auto [it, inserted] = ranges_.try_emplace(name, Running{s.min, s.max, s.nonFinite, 0});
    Running& r = it->second;
    if (!inserted) {
        r.min = std::min(r.min, s.min);
        r.max = std::max(r.max, s.max);
        r.nonFinite = r.nonFinite || s.nonFinite;
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
        table.emplace(name, range);
    }
    return table;
}

} // namespace bg
