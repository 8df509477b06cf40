#pragma once
// Task accuracy of a labelled input set (issue 13): top-1 of a rank-2 score output against one class
// index per sample, for the float model and each integer run. The top class of a row is its argmax
// with ties going to the lowest index (numpy.argmax); NaN never wins, a row of NaN has no top class
// and counts as wrong.
#include "calibration/class_labels.h"
#include "model/graph.h"
#include "model/tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace bg {

struct TaskAccuracy {
    std::string output;   // the graph output scored (the first rank-2 one)
    int64_t samples = 0;
    double floatModel = 0.0;  // fractions in [0, 1]
    double quantized = 0.0;
    double fixed = 0.0;
    std::optional<double> exactBias;
};

// Index of the largest finite value of a rank-2 tensor's single row (lowest index on ties), -1 when
// every value is NaN. Throws bg::Error(ShapeMismatch) naming `subject` unless the tensor is [1, K].
int64_t topClass(const Tensor& scores, const std::string& subject);

// Correct top-1 over the samples of one run.
struct AccuracyTally {
    int64_t correct = 0;
    int64_t total = 0;
    // Throws bg::Error(BadInput) naming labels.file when the sample has no label or its label is past
    // the output's class count, bg::Error(ShapeMismatch) naming the file for an output that is not [1, K].
    void add(const ClassLabels& labels, size_t sample, const Tensor& scores, const std::string& output);
    double fraction() const { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
};

// The graph output the labels are scored against: the first (graph order) that is a float rank-2
// tensor in `sample` (the float model's outputs of one sample). Throws bg::Error(BadInput) naming
// labels.file when the model has none; when the label count differs from `samples`.
std::string scoredOutput(const Graph& graph, const std::map<std::string, Tensor>& sample,
                         const ClassLabels& labels, size_t samples);

} // namespace bg
