#pragma once
// The models and inputs the QDQ tests run through ONNX Runtime (tst_qdq_ort: graph outputs,
// tst_qdq_ort_layers: every quantized tensor): the demo, the PaddleOCR classifier and detector,
// and a small Conv/Gemm(transB 1, 0)/MatMul model, each with its inputs calibrated on themselves.
#include "calibration/calibration_source.h"
#include "calibration/range_table.h"
#include "folding/model_structure.h"
#include "runtime/float_runtime.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace bgtest {

// Conv → BN → Relu → GlobalAveragePool → Flatten → Gemm(transB 1) → BN → Relu → Gemm(transB 0) →
// BN → MatMul → BN: every linear kind's weight axis and bias placement in one small model, written
// to DIR/heads.onnx. Returns its path.
std::string writeHeadsModel(const QString& dir);

// The test inputs themselves as the calibration set: the detector's outputs on its text page are
// then meaningful (calibrated on noise, its integer map is ~constant and a comparison tests nothing).
class SampleList : public bg::CalibrationSource {
public:
    explicit SampleList(std::vector<bg::TensorMap> samples) : samples_(std::move(samples)) {}
    size_t count() const override { return samples_.size(); }
    std::map<std::string, bg::Tensor> sample(size_t i) override { return samples_.at(i); }
    std::string description() const override { return "the test inputs"; }

private:
    std::vector<bg::TensorMap> samples_;
};

// One model of the QDQ tests, loaded and calibrated on its inputs.
struct QdqTestCase {
    std::string path;
    std::shared_ptr<const bg::ModelStructure> structure;
    std::vector<bg::TensorMap> inputs;
    bg::RangeTable ranges;
};

// What a QDQ test feeds a model: the synthetic calibration source's noise; the detector's text page
// (textLinesTestInput, the same page for every sample); or the classifier's text-line crops
// (textLineCropTestInput, sample k seeded k: every sample differs, odd ones turned by 180 degrees).
enum class QdqInputs { Noise, TextPage, TextLineCrops };

// The model at `path` with `samples` inputs of the kind `kind` (height/width > 0 set the input's
// H and W), calibrated on them.
QdqTestCase prepareQdqTestCase(const std::string& path, int height, int width, int samples, QdqInputs kind);

// Writes input_0.pb of each input into DIR/inK (the folders run_ort.mjs reads); returns them.
std::vector<std::string> writeOrtInputs(const std::vector<bg::TensorMap>& inputs, const QString& dir);

} // namespace bgtest
