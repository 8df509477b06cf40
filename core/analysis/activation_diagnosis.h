#pragma once
// The activation-range diagnosis of issue 13: for every tensor the integer pipeline quantizes with
// one scale (each fusion group's input and output, §4), its range against its channels' ranges and
// the estimated SQNR that the shared scale costs against per-channel scales
// (arithmetic/shared_scale_cost.h). It reads the calibrator's per-channel figures (RangeTable) only:
// no run. Definitions in docs/SPEC_NOTES.md, "Activation-range diagnosis".
#include "calibration/range_table.h"
#include "folding/model_structure.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bg {

// A tensor whose shared scale is estimated to cost at least one bit of resolution (20·log10 2 dB)
// is flagged (listed as a problem).
inline constexpr double kSharedScaleFlagDb = 6.0206;

struct TensorRangeDiagnosis {
    std::string tensor;
    std::string consumer;    // the first fusion group reading it, else the first node, else "(graph output)"
    bool weightedByConsumer = false;  // the consumer's weights gave each channel's noise gain (else 1)
    double lo = 0.0;         // the per-tensor calibrated range
    double hi = 0.0;
    int64_t channels = 0;
    double medianChannelSpan = 0.0;  // median over channels of max_c − min_c
    double ratio = 0.0;      // (hi − lo) / medianChannelSpan; +inf when the median channel is constant
    double estCostDb = 0.0;  // sharedScaleCostDb
    bool flagged() const { return estCostDb >= kSharedScaleFlagDb; }
};

// Median of the channels' spans (max − min); for an even count the mean of the two middle ones.
double medianChannelSpan(const std::vector<double>& channelMin, const std::vector<double>& channelMax);

// Per input channel of `g`, the sum of the squared effective weights (BN folded, Gemm alpha) that
// read it: how much of that channel's rounding noise reaches the group's output. Empty when the
// layout is not known (MatMul) or does not give `inputChannels` channels.
std::vector<double> inputNoiseGains(const FusionGroup& g, int64_t inputChannels);

// Every group input and output with per-channel figures in `ranges`, worst estimated cost first
// (graph order among equals). Tensors without per-channel figures (--encodings ranges, MatMul
// inputs of rank > 2) are left out.
std::vector<TensorRangeDiagnosis> diagnoseActivationRanges(const ModelStructure& model, const RangeTable& ranges,
                                                           int activationBits);

} // namespace bg
