#include "calibration/channel_ranges.h"

#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <limits>
#include <mutex>

namespace bg {

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

void ChannelRanges::merge(const ChannelRanges& later)
{
    if (later.empty())
        return;
    if (empty()) {
        *this = later;
        return;
    }
    if (later.min_.size() != min_.size())
        return;
    for (size_t c = 0; c < min_.size(); ++c) {
        min_[c] = std::min(min_[c], later.min_[c]);
        max_[c] = std::max(max_[c], later.max_[c]);
        sumSquares_[c] += later.sumSquares_[c];
        counts_[c] += later.counts_[c];
    }
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
