#pragma once
// BatchNormalization's fast form, Y = X · a + b per channel, with a = scale / sqrt(var + epsilon)
// and b = B - mean · a taken in double and rounded once to float: the BatchNormalization kernel's
// fast loop and the Conv post-op that runs a BatchNormalization inside the convolution
// (runtime/conv_fusion.h) both use these, so a fused run gives the unfused fast run's bits.
#include <cmath>

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

} // namespace bg
