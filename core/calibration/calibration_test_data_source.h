#pragma once
// Calibration samples in the ONNX test-data layout: DIR/test_data_set_*/input_K.pb, one sample per
// test_data_set folder (naturally sorted), or DIR/input_K.pb directly (one sample). Tensors are
// matched to graph inputs by TensorProto name when set, else by position (model/input_folder.h).
#include "model/graph.h"
#include "calibration/calibration_source.h"

#include <string>
#include <vector>

namespace bg {

class TestDataCalibrationSource : public CalibrationSource {
public:
    // Throws bg::Error: FileNotFound for a missing folder; BadInput when there is no sample, or a
    // sample folder's count of input_K.pb files differs from the model's input count. Tensor
    // contents (shape, type) are checked when a sample is read. `graph` must outlive the source.
    TestDataCalibrationSource(const std::string& dir, const Graph& graph);

    size_t count() const override { return sampleDirs_.size(); }
    std::map<std::string, Tensor> sample(size_t i) override;
    std::string description() const override;

    const std::vector<std::string>& sampleDirs() const { return sampleDirs_; }

private:
    std::string dir_;
    const Graph& graph_;
    std::vector<std::string> sampleDirs_;
};

} // namespace bg
