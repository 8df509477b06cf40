#include "comparison/task_accuracy.h"

#include "io/error.h"

#include <cmath>

namespace bg {

int64_t topClass(const Tensor& scores, const std::string& subject)
{
    if (!scores.isFloat() || scores.rank() != 2 || scores.dim(0) != 1)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "output " + shapeToString(scores.shape()) + " is not one row of class scores [1, K]");
    const auto v = scores.floats();
    int64_t best = -1;
    for (size_t k = 0; k < v.size(); ++k)
        if (!std::isnan(v[k]) && (best < 0 || v[k] > v[static_cast<size_t>(best)]))  // strict: the lowest index keeps a tie
            best = static_cast<int64_t>(k);
    return best;
}

void AccuracyTally::add(const ClassLabels& labels, size_t sample, const Tensor& scores, const std::string& output)
{
    if (sample >= labels.classes.size())
        throw Error(ErrorCode::BadInput, labels.file, "no label for sample " + std::to_string(sample));
    const int64_t top = topClass(scores, labels.file + ": " + output);
    const int64_t label = labels.classes[sample];
    if (label >= scores.dim(1))
        throw Error(ErrorCode::BadInput, labels.file,
                    "label " + std::to_string(label) + " of sample " + std::to_string(sample) + " is past output " +
                        output + "'s " + std::to_string(scores.dim(1)) + " classes");
    correct += top == label ? 1 : 0;
    ++total;
}

std::string scoredOutput(const Graph& graph, const std::map<std::string, Tensor>& sample, const ClassLabels& labels,
                         size_t samples)
{
    if (labels.classes.size() != samples)
        throw Error(ErrorCode::BadInput, labels.file,
                    std::to_string(labels.classes.size()) + " labels for " + std::to_string(samples) + " samples");
    for (const ValueInfo& out : graph.outputs)
        if (auto it = sample.find(out.name); it != sample.end() && it->second.isFloat() && it->second.rank() == 2)
            return out.name;
    throw Error(ErrorCode::BadInput, labels.file, "the model has no rank-2 output (class scores) to score the labels against");
}

} // namespace bg
