#pragma once
// Resize/Upsample resampling, separable per axis: each output index along an axis reads a few
// input indices with weights (1 for nearest, 2 for linear, 4 for cubic), and an N-D output element
// is the weighted sum over the product of its axes' taps. This matches the ONNX reference
// (interpolate_nd) for every axis, including N and C when their scale is not 1.
#include "runtime/kernel_context.h"

#include <string>
#include <vector>

namespace bg {

struct ResampleSpec {
    enum class Mode { Nearest, Linear, Cubic };
    Mode mode = Mode::Nearest;
    // ONNX coordinate_transformation_mode: half_pixel, half_pixel_symmetric, pytorch_half_pixel,
    // align_corners, asymmetric, tf_half_pixel_for_nn, tf_crop_and_resize.
    std::string coordinateMode = "half_pixel";
    // ONNX nearest_mode, plus "simple" for Upsample and Resize-10: floor when upsampling, ceil
    // when downsampling (what ONNX Runtime does for the opsets that had no nearest_mode).
    std::string nearestMode = "round_prefer_floor";
    double cubicA = -0.75;
    bool excludeOutside = false;
    float extrapolationValue = 0.0f;
    std::vector<double> scales;  // per axis
    // Unrounded resized length per axis (in * scale, or the requested size); empty: in * scale.
    std::vector<double> resizedLengths;
    Shape outShape;
    std::vector<double> roi;     // tf_crop_and_resize: starts then ends, normalised; empty otherwise
};

// Fails (BadAttribute) naming the node on an unknown mode name.
ResampleSpec::Mode resampleModeFromName(const KernelContext& ctx, const std::string& name);

Tensor resample(const KernelContext& ctx, const Tensor& x, const ResampleSpec& spec);

} // namespace bg
