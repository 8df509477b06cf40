#pragma once
// BatchNormalization in inference form, shared by its kernel and by the Conv fusion that runs it
// inside a convolution (runtime/conv_fusion.h): what is refused, and the fast form, Y = X · a + b per channel, with a = scale / sqrt(var + epsilon)
// and b = B - mean · a taken in double and rounded once to float: the BatchNormalization kernel's
// fast loop and the Conv post-op that runs a BatchNormalization inside the convolution
// (runtime/conv_fusion.h) both use these, so a fused run gives the unfused fast run's bits.
#include "model/node.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace bg {

struct BatchNormCoefficient {
    float a = 1.0f;
    float b = 0.0f;
};

inline BatchNormCoefficient batchNormFastCoefficient(double scale, double bias, double mean, double var, double epsilon)
{
    const double inv = 1.0 / std::sqrt(var + epsilon);
    return {static_cast<float>(scale * inv), static_cast<float>(bias - mean * scale * inv)};
}

// Why `node` is not a BatchNormalization this tool computes (training mode, the running-statistics
// outputs, opset < 9 spatial=0), or nothing.
inline std::optional<std::string> batchNormUnsupported(const Node& node, int64_t opset)
{
    if (node.attrInt("training_mode", 0) != 0)
        return "training_mode=1 is not supported (inference only)";
    for (size_t i = 1; i < node.outputs.size(); ++i)
        if (!node.outputs[i].empty())
            return "only the Y output is supported (mean/variance outputs belong to training mode)";
    if (opset < 9 && node.attrInt("spatial", 1) != 1)
        return "spatial=0 (per-element statistics) is not supported";
    return std::nullopt;
}

} // namespace bg
