#include "runtime/kernels/axis_resample.h"
#include "runtime/kernels/parallel_ranges.h"

#include "runtime/kernels/shape_util.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace bg {

namespace {

struct Tap {
    int64_t index;
    double weight;
};

// Taps of one output index: a [begin, end) range into the flat tap list, or "outside" for
// tf_crop_and_resize coordinates beyond the input (the output takes the extrapolation value).
struct AxisTaps {
    std::vector<Tap> taps;
    std::vector<size_t> begin;  // size outLen + 1
    std::vector<bool> outside;
};

double sourceCoordinate(const KernelContext& ctx, const ResampleSpec& spec, size_t axis, int64_t o, int64_t inLen,
                        int64_t outLen)
{
    const double x = static_cast<double>(o);
    const double scale = spec.scales[axis];
    // The ONNX reference uses the unrounded resized length (in * scale) where the formulas need
    // the output length; with `sizes` it equals the output length.
    const double resized = spec.resizedLengths.empty() ? static_cast<double>(inLen) * scale : spec.resizedLengths[axis];
    const std::string& m = spec.coordinateMode;
    if (m == "half_pixel")
        return (x + 0.5) / scale - 0.5;
    if (m == "half_pixel_symmetric") {
        const double adjustment = static_cast<double>(outLen) / resized;
        const double center = static_cast<double>(inLen) / 2.0;
        return center * (1.0 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    if (m == "pytorch_half_pixel")
        return resized > 1.0 ? (x + 0.5) / scale - 0.5 : 0.0;
    if (m == "align_corners")
        return resized == 1.0 ? 0.0 : x * static_cast<double>(inLen - 1) / (resized - 1.0);
    if (m == "asymmetric")
        return x / scale;
    if (m == "tf_half_pixel_for_nn")
        return (x + 0.5) / scale;
    if (m == "tf_crop_and_resize") {
        const size_t rank = spec.roi.size() / 2;
        const double start = spec.roi[axis], end = spec.roi[rank + axis];
        const double span = static_cast<double>(inLen - 1);
        if (resized > 1.0)
            return start * span + x * (end - start) * span / (resized - 1.0);
        return 0.5 * (start + end) * span;
    }
    ctx.fail(ErrorCode::BadAttribute, "unknown coordinate_transformation_mode '" + m + "'");
}

int64_t nearestIndex(const KernelContext& ctx, const std::string& mode, double x, double scale)
{
    const double fl = std::floor(x);
    if (mode == "round_prefer_floor")
        return static_cast<int64_t>(x == fl + 0.5 ? fl : std::round(x));
    if (mode == "round_prefer_ceil")
        return static_cast<int64_t>(x == fl + 0.5 ? fl + 1.0 : std::round(x));
    if (mode == "floor")
        return static_cast<int64_t>(fl);
    if (mode == "ceil")
        return static_cast<int64_t>(std::ceil(x));
    if (mode == "simple")
        return static_cast<int64_t>(scale < 1.0 ? std::ceil(x) : fl);
    ctx.fail(ErrorCode::BadAttribute, "unknown nearest_mode '" + mode + "'");
}

std::array<double, 4> cubicCoefficients(double t, double a)
{
    const double s = t + 1.0, u = 1.0 - t, v = 2.0 - t;
    return {((a * s - 5.0 * a) * s + 8.0 * a) * s - 4.0 * a, ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0,
            ((a + 2.0) * u - (a + 3.0)) * u * u + 1.0, ((a * v - 5.0 * a) * v + 8.0 * a) * v - 4.0 * a};
}

AxisTaps axisTaps(const KernelContext& ctx, const ResampleSpec& spec, size_t axis, int64_t inLen, int64_t outLen)
{
    AxisTaps a;
    a.begin.push_back(0);
    const bool crop = spec.coordinateMode == "tf_crop_and_resize";
    for (int64_t o = 0; o < outLen; ++o) {
        double x = sourceCoordinate(ctx, spec, axis, o, inLen, outLen);
        if (!std::isfinite(x))
            ctx.fail(ErrorCode::BadInput, "resize scale of axis " + std::to_string(axis) + " gives no valid coordinate");
        const bool outside = crop && (x < 0.0 || x > static_cast<double>(inLen - 1));
        a.outside.push_back(outside);
        auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i, 0, inLen - 1); };
        if (outside) {
            // no taps: the element takes the extrapolation value
        } else if (spec.mode == ResampleSpec::Mode::Nearest) {
            // Clamp before converting: coordinates far outside must not overflow int64.
            x = std::clamp(x, -1.0, static_cast<double>(inLen));
            a.taps.push_back({clampIndex(nearestIndex(ctx, spec.nearestMode, x, spec.scales[axis])), 1.0});
        } else if (spec.mode == ResampleSpec::Mode::Linear) {
            x = std::clamp(x, 0.0, static_cast<double>(inLen - 1));
            const auto i0 = static_cast<int64_t>(std::floor(x));
            const double w = x - static_cast<double>(i0);
            a.taps.push_back({i0, 1.0 - w});
            if (w != 0.0)
                a.taps.push_back({clampIndex(i0 + 1), w});
        } else {
            x = std::clamp(x, -2.0, static_cast<double>(inLen + 1));
            const double fl = std::floor(x);
            const auto i0 = static_cast<int64_t>(fl);
            std::array<double, 4> c = cubicCoefficients(x - fl, spec.cubicA);
            if (spec.excludeOutside) {
                double sum = 0.0;
                for (int k = 0; k < 4; ++k) {
                    const int64_t i = i0 - 1 + k;
                    if (i < 0 || i >= inLen)
                        c[static_cast<size_t>(k)] = 0.0;
                    sum += c[static_cast<size_t>(k)];
                }
                for (double& w : c)
                    w = sum != 0.0 ? w / sum : 0.0;
            }
            for (int k = 0; k < 4; ++k)
                if (c[static_cast<size_t>(k)] != 0.0)
                    a.taps.push_back({clampIndex(i0 - 1 + k), c[static_cast<size_t>(k)]});
        }
        a.begin.push_back(a.taps.size());
    }
    return a;
}

// Nearest resampling without extrapolated elements: every output copies one input element, whose
// offset is a sum of per-axis offsets. Row by row with the last axis' offsets precomputed (the
// generic per-element walk below cost ~10x more on the detector's upsampling).
template <class T>
void nearestCopy(const std::vector<AxisTaps>& axes, const std::vector<int64_t>& strides, const Shape& outShape,
                 const T* in, T* out)
{
    const size_t rank = outShape.size();
    std::vector<std::vector<int64_t>> offsets(rank);
    for (size_t d = 0; d < rank; ++d)
        for (int64_t o = 0; o < outShape[d]; ++o)
            offsets[d].push_back(axes[d].taps[axes[d].begin[static_cast<size_t>(o)]].index * strides[d]);
    const std::vector<int64_t>& last = offsets[rank - 1];
    const int64_t inner = outShape[rank - 1];
    const int64_t rows = inner == 0 ? 0 : shapeNumel(outShape) / inner;
    // Rows on the thread team, each a gather on its own (the same values on any split).
    parallelRanges(rows, inner, [&](int64_t begin, int64_t end) {
        // The outer axes' indices of row `begin`, then an odometer over them.
        std::vector<int64_t> idx(rank, 0);
        int64_t base = 0;
        for (int64_t rest = begin, d = static_cast<int64_t>(rank) - 2; d >= 0; --d) {
            idx[static_cast<size_t>(d)] = rest % outShape[static_cast<size_t>(d)];
            rest /= outShape[static_cast<size_t>(d)];
            base += offsets[static_cast<size_t>(d)][static_cast<size_t>(idx[static_cast<size_t>(d)])];
        }
        for (int64_t r = begin; r < end; ++r) {
            T* row = out + r * inner;
            for (int64_t j = 0; j < inner; ++j)
                row[j] = in[base + last[static_cast<size_t>(j)]];
            for (size_t d = rank - 1; d-- > 0;) {  // odometer over the outer axes
                const auto i = static_cast<size_t>(idx[d]);
                base -= offsets[d][i];
                if (++idx[d] < outShape[d]) {
                    base += offsets[d][i + 1];
                    break;
                }
                idx[d] = 0;
                base += offsets[d][0];
            }
        }
    });
}

} // namespace

ResampleSpec::Mode resampleModeFromName(const KernelContext& ctx, const std::string& name)
{
    if (name == "nearest")
        return ResampleSpec::Mode::Nearest;
    if (name == "linear" || name == "bilinear")
        return ResampleSpec::Mode::Linear;
    if (name == "cubic")
        return ResampleSpec::Mode::Cubic;
    ctx.fail(ErrorCode::BadAttribute, "unknown mode '" + name + "'");
}

Tensor resample(const KernelContext& ctx, const Tensor& x, const ResampleSpec& spec)
{
    const size_t rank = x.shape().size();
    if (spec.outShape.size() != rank || spec.scales.size() != rank)
        ctx.fail(ErrorCode::ShapeMismatch, "scales/sizes must have one entry per input dimension (rank "
                                               + std::to_string(rank) + ")");
    checkedNumel(ctx, spec.outShape);
    if (spec.mode != ResampleSpec::Mode::Nearest && !x.isFloat())
        ctx.fail(ErrorCode::UnsupportedType, "linear and cubic resizing need a float input");
    for (size_t d = 0; d < rank; ++d)
        if (x.shape()[d] == 0 && spec.outShape[d] > 0)
            ctx.fail(ErrorCode::ShapeMismatch, "cannot resize an empty dimension to a non-empty one");

    std::vector<AxisTaps> axes;
    for (size_t d = 0; d < rank; ++d)
        axes.push_back(axisTaps(ctx, spec, d, x.shape()[d], spec.outShape[d]));
    const std::vector<int64_t> strides = shapeStrides(x.shape());

    return visitDType(x, [&]<class T>(T) {
        const auto in = valuesOf<T>(x);
        std::vector<T> out(static_cast<size_t>(shapeNumel(spec.outShape)));
        if (out.empty())
            return makeTensor(spec.outShape, std::move(out), x.elemType());
        if (spec.mode == ResampleSpec::Mode::Nearest && rank > 0
            && std::none_of(axes.begin(), axes.end(), [](const AxisTaps& a) {
                   return std::find(a.outside.begin(), a.outside.end(), true) != a.outside.end();
               })) {
            nearestCopy(axes, strides, spec.outShape, in.data(), out.data());
            return makeTensor(spec.outShape, std::move(out), x.elemType());
        }
        std::vector<int64_t> idx(rank, 0);
        // Weighted sum over the product of per-axis taps, axis by axis.
        auto accumulate = [&](auto&& self, size_t d, int64_t offset, double weight) -> double {
            if (d == rank)
                return weight * static_cast<double>(in[static_cast<size_t>(offset)]);
            const AxisTaps& a = axes[d];
            const auto o = static_cast<size_t>(idx[d]);
            double sum = 0.0;
            for (size_t k = a.begin[o]; k < a.begin[o + 1]; ++k)
                sum += self(self, d + 1, offset + a.taps[k].index * strides[d], weight * a.taps[k].weight);
            return sum;
        };
        auto firstTapOffset = [&]() {  // nearest: the single tap per axis
            int64_t off = 0;
            for (size_t d = 0; d < rank; ++d)
                off += axes[d].taps[axes[d].begin[static_cast<size_t>(idx[d])]].index * strides[d];
            return off;
        };
        for (size_t o = 0; o < out.size(); ++o) {
            bool outside = false;
            for (size_t d = 0; d < rank && !outside; ++d)
                outside = axes[d].outside[static_cast<size_t>(idx[d])];
            if (outside) {
                if constexpr (std::is_same_v<T, float>)
                    out[o] = spec.extrapolationValue;
                else
                    out[o] = floatToInt64(spec.extrapolationValue);
            }
            else if (spec.mode == ResampleSpec::Mode::Nearest)
                out[o] = in[static_cast<size_t>(firstTapOffset())];  // exact copy, also for int64
            else
                out[o] = static_cast<T>(accumulate(accumulate, 0, 0, 1.0));
            for (size_t d = rank; d-- > 0;) {
                if (++idx[d] < spec.outShape[d])
                    break;
                idx[d] = 0;
            }
        }
        return makeTensor(spec.outShape, std::move(out), x.elemType());
    });
}

} // namespace bg
