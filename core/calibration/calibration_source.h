#pragma once
// Where calibration samples come from (QUANT_SPEC §4). A source is a sequence of samples; each
// sample maps every non-constant graph input name to a tensor. Core provides the ONNX test-data
// folder, the .npy folder and the synthetic sources; the app layer adds an image source (it needs
// QImage) by implementing this same interface.
//
// Sources load lazily: sample(i) reads or generates sample i when asked, so a calibration set is
// never held in memory all at once.
#include "model/tensor.h"

#include <map>
#include <string>

namespace bg {

class CalibrationSource {
public:
    virtual ~CalibrationSource() = default;

    virtual size_t count() const = 0;
    // Sample i (0 <= i < count()); throws bg::Error naming the offending file on a bad sample.
    virtual std::map<std::string, Tensor> sample(size_t i) = 0;
    // One line for reports and the GUI, e.g. "8 synthetic samples (seed 20241125)".
    virtual std::string description() const = 0;
};

} // namespace bg
