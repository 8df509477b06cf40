#include "calibration/calibration_synthetic_source.h"

#include "io/error.h"

namespace bg {

SyntheticCalibrationSource::SyntheticCalibrationSource(const Graph& graph, SyntheticShapeOptions options,
                                                       size_t count)
    : graph_(graph), options_(std::move(options)), count_(count)
{
    syntheticInputShapes(graph_, options_);
}

std::map<std::string, Tensor> SyntheticCalibrationSource::sample(size_t i)
{
    if (i >= count_)
        throw Error(ErrorCode::BadSetting, "synthetic inputs",
                    "sample " + std::to_string(i) + " requested, there are " + std::to_string(count_));
    return syntheticSample(graph_, static_cast<int>(i), options_);
}

std::string SyntheticCalibrationSource::description() const
{
    std::string shapes;
    for (const ValueInfo& input : graph_.inputs)
        shapes += (shapes.empty() ? " " : ", ") + input.name + " " + shapeToString(syntheticInputShape(input, options_));
    return std::to_string(count_) + " synthetic samples (SplitMix64, seed " + std::to_string(kSyntheticSeed)
        + " + sample index;" + shapes + ")";
}

} // namespace bg
