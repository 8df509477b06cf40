#pragma once
// Calibrated float range of every tensor, keyed by tensor name (QUANT_SPEC §4: lo/hi are the min/max
// of the float model's tensor over the calibration set). The calibrator produces it; the fold
// analysis and the integer backend read it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bg {

struct TensorRange {
    double min;
    double max;
    // True when the tensor held NaN or ±inf in some calibration sample. min/max then cover only the
    // finite values (they are not poisoned), and consumers should warn that the range is suspect.
    bool nonFinite = false;
    // How many elements were scanned over the whole calibration set (0 = range not calibrated).
    std::int64_t count = 0;
    // Rank of the tensor as calibrated (-1: unknown). Shape inference cannot always tell it (a
    // Reshape to a shape computed from a dynamic input size); the QDQ export's opset conversion needs it.
    int rank = -1;
    // Per channel (axis 1) min/max of the finite values, recorded for the pre-BN tensor of every
    // foldable pair (§7's constant test reads "the channel's calibrated pre-BN range") and for every
    // Conv/ConvTranspose/Gemm fusion group's input and output (the activation-range diagnosis);
    // else empty.
    std::vector<double> channelMin = {};
    std::vector<double> channelMax = {};
    // Per channel mean of x² over the finite values (the channel's signal power), beside channelMin.
    std::vector<double> channelMeanSquare = {};
};
using RangeTable = std::map<std::string, TensorRange>;

} // namespace bg
