#pragma once
// The one implementation of QUANT_SPEC §8's metrics, accumulated over several samples (the
// comparison runs a whole input set), plus per-channel error sums for "which channels differ most".
// compareTensors() is this class over a single sample.
#include "comparison/comparison_metrics.h"
#include "model/tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

struct ChannelError {
    int64_t channel = 0;
    double mse = 0.0;
    double maxAbs = 0.0;
};

class MetricAccumulator {
public:
    // `channelAxis` >= 0 enables per-channel sums over that axis (1 for NCHW, last axis for Gemm).
    explicit MetricAccumulator(int channelAxis = -1) : channelAxis_(channelAxis) {}

    // Throws bg::Error(ShapeMismatch) when the shapes differ.
    void add(const Tensor& ref, const Tensor& x);

    // `scale` enables rmseOverScale. top1 is set when every sample had rank 2.
    ComparisonMetrics metrics(std::optional<double> scale = std::nullopt) const;
    // Channels sorted by decreasing MSE (ties: lower index first), at most `n`.
    std::vector<ChannelError> worstChannels(size_t n) const;

private:
    int channelAxis_;
    double dot_ = 0, rr_ = 0, xx_ = 0, err_ = 0, maxAbs_ = 0;
    int64_t count_ = 0;
    ErrorHistogram errors_;
    int64_t rows_ = 0, agree_ = 0;
    bool allRank2_ = true;
    bool any_ = false;
    std::vector<double> chErr_, chMax_;
    std::vector<int64_t> chCount_;
};

} // namespace bg
