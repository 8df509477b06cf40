// Resize (opsets 10-19): nearest / linear / cubic resampling (kernels/axis_resample.h).
// Opset 10: inputs X, scales; coordinates are asymmetric and nearest rounds like Upsample.
// Opset 11+: inputs X, roi, scales, sizes (sizes wins when non-empty), attributes
// coordinate_transformation_mode, nearest_mode, cubic_coeff_a, exclude_outside,
// extrapolation_value; opset 18 adds `axes` and keep_aspect_ratio_policy. With scales the output
// dim is floor(in * scale) (times the roi extent for tf_crop_and_resize); with sizes the scale
// used for coordinates is out / in.
#include "runtime/kernels/axis_resample.h"
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <cmath>

namespace {

std::vector<bg::Tensor> resize(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    const size_t rank = x.shape().size();
    const bg::Node& node = ctx.node;
    bg::ResampleSpec spec;
    spec.mode = bg::resampleModeFromName(ctx, node.attrString("mode", "nearest"));

    std::vector<float> scalesIn;
    std::vector<int64_t> sizesIn;
    std::vector<float> roiIn;
    if (ctx.opset < 11) {
        spec.coordinateMode = "asymmetric";
        spec.nearestMode = "simple";
        scalesIn = bg::inputFloats(ctx, 1, "scales");
    } else {
        spec.coordinateMode = node.attrString("coordinate_transformation_mode", "half_pixel");
        spec.nearestMode = node.attrString("nearest_mode", "round_prefer_floor");
        spec.cubicA = node.attrFloat("cubic_coeff_a", -0.75f);
        spec.excludeOutside = node.attrInt("exclude_outside", 0) != 0;
        spec.extrapolationValue = node.attrFloat("extrapolation_value", 0.0f);
        if (node.attrInt("antialias", 0) != 0)
            ctx.fail(bg::ErrorCode::BadAttribute, "antialias is not supported");
        if (ctx.has(1))
            roiIn = bg::inputFloats(ctx, 1, "roi");
        if (ctx.has(3) && ctx.in(3).numel() > 0)
            sizesIn = bg::inputInts(ctx, 3, "sizes");
        else if (ctx.has(2) && ctx.in(2).numel() > 0)
            scalesIn = bg::inputFloats(ctx, 2, "scales");
        else
            ctx.fail(bg::ErrorCode::InvalidModel, "needs a non-empty scales or sizes input");
    }

    // Axes the scales/sizes/roi refer to (all unless opset 18's `axes`).
    std::vector<int> axes;
    if (auto a = node.attrIntsOpt("axes"))
        axes = bg::normalizeAxes(ctx, *a, static_cast<int64_t>(rank));
    else
        for (size_t d = 0; d < rank; ++d)
            axes.push_back(static_cast<int>(d));
    const size_t given = sizesIn.empty() ? scalesIn.size() : sizesIn.size();
    if (given != axes.size())
        ctx.fail(bg::ErrorCode::ShapeMismatch, std::string(sizesIn.empty() ? "scales" : "sizes") + " has "
                                                   + std::to_string(given) + " entries, expected "
                                                   + std::to_string(axes.size()));

    spec.outShape = x.shape();
    spec.scales.assign(rank, 1.0);
    spec.roi.assign(2 * rank, 0.0);
    for (size_t d = 0; d < rank; ++d)
        spec.roi[rank + d] = 1.0;
    const bool crop = spec.coordinateMode == "tf_crop_and_resize";
    if (crop) {
        if (roiIn.size() != 2 * axes.size())
            ctx.fail(bg::ErrorCode::ShapeMismatch, "tf_crop_and_resize needs an roi of " + std::to_string(2 * axes.size())
                                                       + " values, got " + std::to_string(roiIn.size()));
        for (size_t k = 0; k < axes.size(); ++k) {
            spec.roi[static_cast<size_t>(axes[k])] = roiIn[k];
            spec.roi[rank + static_cast<size_t>(axes[k])] = roiIn[axes.size() + k];
        }
    }

    if (!sizesIn.empty()) {
        spec.resizedLengths.assign(rank, 0.0);
        for (size_t d = 0; d < rank; ++d)
            spec.resizedLengths[d] = static_cast<double>(x.shape()[d]);
        const std::string policy = node.attrString("keep_aspect_ratio_policy", "stretch");
        if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
            ctx.fail(bg::ErrorCode::BadAttribute, "unknown keep_aspect_ratio_policy '" + policy + "'");
        double common = policy == "not_larger" ? INFINITY : 0.0;
        for (size_t k = 0; k < axes.size(); ++k) {
            const auto d = static_cast<size_t>(axes[k]);
            if (sizesIn[k] < 0 || sizesIn[k] > bg::kMaxKernelElements)
                ctx.fail(bg::ErrorCode::ShapeMismatch, "invalid size " + std::to_string(sizesIn[k]));
            if (x.shape()[d] == 0)
                continue;
            const double s = static_cast<double>(sizesIn[k]) / static_cast<double>(x.shape()[d]);
            spec.scales[d] = s;
            spec.outShape[d] = sizesIn[k];
            spec.resizedLengths[d] = static_cast<double>(sizesIn[k]);
            common = policy == "not_larger" ? std::min(common, s) : std::max(common, s);
        }
        if (policy != "stretch")
            for (int a : axes) {
                const auto d = static_cast<size_t>(a);
                spec.scales[d] = common;
                spec.outShape[d] = static_cast<int64_t>(std::round(common * static_cast<double>(x.shape()[d])));
                spec.resizedLengths[d] = common * static_cast<double>(x.shape()[d]);
            }
    } else {
        for (size_t k = 0; k < axes.size(); ++k) {
            const auto d = static_cast<size_t>(axes[k]);
            const float s = scalesIn[k];
            if (!(s > 0.0f) || !std::isfinite(s))
                ctx.fail(bg::ErrorCode::BadInput, "scale " + std::to_string(s) + " must be positive");
            float extent = static_cast<float>(x.shape()[d]) * s;
            if (crop)
                extent *= static_cast<float>(spec.roi[rank + d] - spec.roi[d]);
            if (!(extent >= 0.0f) || extent > static_cast<float>(bg::kMaxKernelElements))
                ctx.fail(bg::ErrorCode::TensorTooLarge, "scale " + std::to_string(s) + " gives a too large output");
            spec.scales[d] = s;
            // Single-precision product, as ONNX Runtime computes it.
            spec.outShape[d] = static_cast<int64_t>(std::floor(extent));
        }
    }
    return bg::outputs(bg::resample(ctx, x, spec));
}

} // namespace

void bg_register_resize(bg::OpRegistry& registry)
{
    registry.add({"Resize", resize, {}});
}
