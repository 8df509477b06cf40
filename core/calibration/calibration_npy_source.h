#pragma once
// Calibration samples from a folder of .npy files, for single-input models. Files are taken in
// natural order. When the model's batch axis is 1 or symbolic:
//   - a file whose leading axis is N > 1 is split into N samples of batch 1;
//   - a file without the batch axis (rank one less than the model's) is one sample of batch 1.
// Every file is read once when the source is opened, so that a wrong shape or type is reported
// (naming the file) before calibration starts; samples are read again when asked for.
#include "model/graph.h"
#include "calibration/calibration_source.h"

#include <string>
#include <vector>

namespace bg {

class NpyCalibrationSource : public CalibrationSource {
public:
    // Throws bg::Error: FileNotFound (missing folder), BadInput (no .npy file, a model with more
    // than one input, a file whose shape or type does not fit the input). `graph` must outlive it.
    NpyCalibrationSource(const std::string& dir, const Graph& graph);

    size_t count() const override { return entries_.size(); }
    std::map<std::string, Tensor> sample(size_t i) override;
    std::string description() const override;

private:
    struct Entry {
        size_t file;        // index into files_
        int64_t slice;      // batch index, or -1: the whole file (reshaped to sampleShape)
        Shape sampleShape;  // shape given to the model
    };
    std::string dir_;
    const Graph& graph_;
    std::vector<std::string> files_;
    std::vector<Entry> entries_;
    size_t cachedFile_ = static_cast<size_t>(-1);  // a split file is read once for all its slices
    Tensor cached_;
};

} // namespace bg
