#pragma once
// Per-channel (axis 1) statistics of the tensors the activation-range diagnosis reads: min and max
// of the finite values, and their sum of squares, merged over the calibration samples. One pass
// per (sample row, channel) block, which also gives the whole tensor's range, so the calibrator
// does not scan such a tensor a second time for RangeAccumulator.
#include "calibration/block_stats.h"
#include "model/tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

class ChannelRanges {
public:
    // Adds a rank ≥ 2 float tensor's channels; returns the statistics of the whole tensor, or
    // nothing when the tensor was not added (not float, rank < 2, empty, or another channel count
    // than the first sample's).
    std::optional<BlockStats> add(const Tensor& t);

    // Adds the channels of a later sample's statistics (kept out when its channel count differs
    // from the first sample's, as add() does). The calibrator gathers each sample on its own and
    // merges them in sample order, so a channel's sum of squares is summed the same way whatever
    // the number of samples run at once.
    void merge(const ChannelRanges& later);
    bool empty() const { return min_.empty(); }
    // Per channel; a channel without any finite value gets [0, 0].
    std::vector<double> channelMin() const;
    std::vector<double> channelMax() const;
    std::vector<double> channelMeanSquare() const;

private:
    std::vector<double> min_, max_, sumSquares_;
    std::vector<int64_t> counts_;
};

} // namespace bg
