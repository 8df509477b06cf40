#pragma once
// The default calibration set: kSyntheticSampleCount deterministic samples (synthetic_inputs.h,
// docs/SYNTHETIC_INPUTS.md).
#include "calibration/calibration_source.h"
#include "calibration/synthetic_inputs.h"

namespace bg {

class SyntheticCalibrationSource : public CalibrationSource {
public:
    // Checks every input's shape and type now (bg::Error(BadInput)); `graph` must outlive the source.
    explicit SyntheticCalibrationSource(const Graph& graph, SyntheticShapeOptions options = {},
                                        size_t count = kSyntheticSampleCount);

    size_t count() const override { return count_; }
    std::map<std::string, Tensor> sample(size_t i) override;
    std::string description() const override;

private:
    const Graph& graph_;
    SyntheticShapeOptions options_;
    size_t count_;
};

} // namespace bg
