#pragma once
// Per-channel (axis 1) statistics of the tensors the activation-range diagnosis reads: min and max
// of the finite values, and their sum of squares, merged over the calibration samples. One pass
// per (sample row, channel) block, which also gives the whole tensor's range, so the calibrator
// does not scan such a tensor a second time for RangeAccumulator.
#include "model/tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

// Statistics of a run of floats: min/max over the finite values (+inf/−inf when none), whether
// any value is NaN or ±inf, the finite values' count and sum of squares (in double: a float's
// square is exact there).
struct BlockStats {
    float min;
    float max;
    bool nonFinite = false;
    int64_t finite = 0;
    double sumSquares = 0.0;
};
// SSE2 where available; a block holding a NaN or ±inf is redone by a checking scalar pass. The sum
// is taken in 8 partial sums, so it is not the sequential one to the last bit.
BlockStats blockStats(const float* data, size_t n);

class ChannelRanges {
public:
    // Adds a rank ≥ 2 float tensor's channels; returns the statistics of the whole tensor, or
    // nothing when the tensor was not added (not float, rank < 2, empty, or another channel count
    // than the first sample's).
    std::optional<BlockStats> add(const Tensor& t);

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
