#pragma once
// One pass over a run of floats for the calibration: min and max of the finite values, whether any
// value is NaN or ±inf, and (for the per-channel statistics) the finite values' count and sum of
// squares. The range table (calibration_ranges.h) and the channel table (channel_ranges.h) both
// read their tensors through it.
#include <cstddef>
#include <cstdint>

namespace bg {

// min/max over the finite values (+inf/−inf when none); the sum of squares in double (a float's
// square is exact there), left 0 by blockRange.
struct BlockStats {
    float min;
    float max;
    bool nonFinite = false;
    int64_t finite = 0;
    double sumSquares = 0.0;
};
// SSE2 where available (GCC does not vectorise a float min/max reduction without -ffast-math); a
// block holding a NaN or ±inf is redone by a checking scalar pass. The sum is taken in 8 partial
// sums, so it is not the sequential one to the last bit.
BlockStats blockStats(const float* data, size_t n);
// The same without the sum of squares.
BlockStats blockRange(const float* data, size_t n);

} // namespace bg
