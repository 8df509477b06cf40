#include "calibration/calibration_ranges.h"

#include "calibration/block_stats.h"
#include "runtime/kernels/parallel_ranges.h"

#include <mutex>

#include <algorithm>
#include <limits>

namespace bg {

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
    BlockStats s{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
    std::mutex combine;
    parallelRanges(static_cast<int64_t>(values.size()), 1, [&](int64_t begin, int64_t end) {
        const BlockStats part = blockRange(values.data() + begin, static_cast<size_t>(end - begin));
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

void RangeAccumulator::merge(const RangeAccumulator& later)
{
    for (const auto& [name, l] : later.ranges_) {
        auto [it, inserted] = ranges_.try_emplace(name, l);
        if (inserted)
            continue;
        Running& r = it->second;
        r.min = std::min(r.min, l.min);
        r.max = std::max(r.max, l.max);
        r.nonFinite = r.nonFinite || l.nonFinite;
        r.count += l.count;
    }
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
