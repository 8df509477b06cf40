#include "integer/group_executor.h"

#include "io/error.h"
#include "integer/int_conv.h"
#include "integer/int_conv_transpose.h"
#include "integer/int_matmul.h"
#include "integer/int_requantize.h"
#include "runtime/kernels/conv_geometry.h"

#include <optional>


namespace bg {

namespace {

// Conv and ConvTranspose index the input and the weight with the same number of axes.
void requireSameRank(const Node& linear, const QuantizedGroup& qg, const QuantActivation& x)
{
    if (x.shape.size() != qg.weight.shape.size())
        throw Error(ErrorCode::ShapeMismatch, linear.describe(),
                    "input " + shapeToString(x.shape) + " and weight " + shapeToString(qg.weight.shape)
                        + " differ in rank");
}

IntConvParams convParams(const Node& linear, int64_t opset, const QuantizedGroup& qg, const QuantActivation& x)
{
    // The float kernels' geometry (auto_pad, kernel_shape checks) so both paths agree on padding.
    const KernelContext ctx{linear, {}, opset};
    const std::vector<int64_t> inSpatial(x.shape.begin() + 2, x.shape.end());
    const std::vector<int64_t> wSpatial(qg.weight.shape.begin() + 2, qg.weight.shape.end());
    const WindowGeometry geo = windowGeometry(ctx, inSpatial, kernelShape(ctx, wSpatial), false, true);
    IntConvParams p;
    p.name = linear.displayName();
    p.group = linear.attrInt("group", 1);
    p.strides = geo.strides;
    p.dilations = geo.dilations;
    p.padsBegin = geo.padBegin;
    p.padsEnd = geo.padEnd;
    if (!qg.convWeightSums.sum.empty())
        p.weightSums = &qg.convWeightSums;
    return p;
}

// The sums of a strip of output rows: about what the L2 caches of a 2-core machine hold beside the
// strip's input rows and codes.
constexpr int64_t kConvStripBytes = 512 * 1024;

// A fast Conv requantized a strip of output rows at a time, while its sums are in cache (the same
// codes as requantizing the whole: requantizeStrip). Empty when the fast kernel cannot run.
std::optional<RequantizeResult> convRequantizedInStrips(const Node& linear, const QuantizedGroup& qg,
                                                        const RequantizeParams& requant, const IntConvParams& p,
                                                        const QuantActivation& x, GroupRunCounters& counters)
{
    const Shape outShape = intConvOutputShape(x.shape, qg.weight.shape, p);
    if (outShape.size() < 3 || outShape[1] != static_cast<int64_t>(qg.channels.size()))
        return std::nullopt;  // the whole-tensor path reports the mismatch
    RequantizeResult r = requantizeBegin(outShape, requant, linear.displayName());
    // The strips' rows are the kernel's output rows: H of a 2-D Conv, the one row of a 1-D Conv.
    int64_t rowPixels = 1;
    for (size_t d = outShape.size() == 3 ? 2 : 3; d < outShape.size(); ++d)
        rowPixels *= outShape[d];
    const IntKernelPath path = intConvFastStrips(x, qg.weight, p, kConvStripBytes,
                                                 [&](std::vector<int32_t>& values, int64_t row0, int64_t rows) {
                                                     requantizeStrip(values.data(), row0 * rowPixels, rows * rowPixels,
                                                                     requant, r);
                                                 });
    if (path == IntKernelPath::Reference)
        return std::nullopt;
    counters.path = path;
    counters.accumulatorOverflows += r.biasOverflows;
    return r;
}

IntAccumulators convTransposeAccumulators(const Node& linear, int64_t opset, const QuantizedGroup& qg,
                                          const QuantActivation& x, bool reference)
{
    requireSameRank(linear, qg, x);
    // The float kernel's geometry resolves output_shape and auto_pad into pads.
    const KernelContext ctx{linear, {}, opset};
    const std::vector<int64_t> inSpatial(x.shape.begin() + 2, x.shape.end());
    const std::vector<int64_t> wSpatial(qg.weight.shape.begin() + 2, qg.weight.shape.end());
    const WindowGeometry geo = transposeGeometry(ctx, inSpatial, kernelShape(ctx, wSpatial));
    IntConvTransposeParams p;
    p.name = linear.displayName();
    p.group = linear.attrInt("group", 1);
    p.strides = geo.strides;
    p.dilations = geo.dilations;
    p.padsBegin = geo.padBegin;
    p.padsEnd = geo.padEnd;
    p.outputPadding = geo.outputPadding;
    p.outputPadding.resize(p.padsEnd.size(), 0);
    for (size_t i = 0; i < p.padsEnd.size(); ++i) {
        // An output_shape larger than the full result: the extra positions are ones no input
        // reaches, which is what output_padding means.
        if (p.padsEnd[i] < 0) {
            p.outputPadding[i] -= p.padsEnd[i];
            p.padsEnd[i] = 0;
        }
    }
    return reference ? intConvTransposeReference(activationChannelsFirst(x), qg.weight, p)
                     : intConvTransposeFastChannelsLast(x, qg.weight, p);
}

} // namespace

QuantActivation runQuantizedGroup(const Node& linear, int64_t opset, const FusionGroup& group,
                                  const QuantizedGroup& qg, const QuantActivation& x, bool referenceKernels,
                                  GroupRunCounters& counters)
{
    return runQuantizedGroup(linear, opset, group, qg, x, referenceKernels, counters, qg.requant);
}

QuantActivation runQuantizedGroup(const Node& linear, int64_t opset, const FusionGroup& group,
                                  const QuantizedGroup& qg, const QuantActivation& x, bool referenceKernels,
                                  GroupRunCounters& counters, const RequantizeParams& requant)
{
    IntAccumulators acc;
    bool channelLast = false;  // Gemm/MatMul: channels on the last axis, else axis 1
    switch (group.kind) {
    case LinearKind::Conv: {
        requireSameRank(linear, qg, x);
        const IntConvParams p = convParams(linear, opset, qg, x);
        if (!referenceKernels)
            if (std::optional<RequantizeResult> r = convRequantizedInStrips(linear, qg, requant, p, x, counters))
                return std::move(r->output);
        acc = intConvReference(activationChannelsFirst(x), qg.weight, p);
        break;
    }
    case LinearKind::Gemm:
    case LinearKind::MatMul:
        if (group.kind == LinearKind::Gemm && x.shape.size() != 2)
            throw Error(ErrorCode::ShapeMismatch, linear.describe(), "Gemm input must be 2-D, got " + shapeToString(x.shape));
    {
        IntMatMulParams p;
        p.name = linear.displayName();
        p.transB = group.params.transB;
        acc = referenceKernels ? intMatMulReference(x, qg.weight, p) : intMatMulFast(x, qg.weight, p);
        channelLast = true;
        break;
    }
    case LinearKind::ConvTranspose:
        acc = convTransposeAccumulators(linear, opset, qg, x, referenceKernels);
        break;
    }
    counters.accumulatorOverflows += acc.overflowCount;
    counters.path = acc.path;

    const int64_t C = static_cast<int64_t>(qg.channels.size());
    const int64_t channelAxisSize = channelLast ? acc.shape.back() : (acc.shape.size() > 1 ? acc.shape[1] : 0);
    if (channelAxisSize != C)
        throw Error(ErrorCode::ShapeMismatch, linear.describe(),
                    "output " + shapeToString(acc.shape) + " does not have " + std::to_string(C) + " channels");

    RequantizeResult r = requantize(acc, channelLast ? static_cast<int>(acc.shape.size()) - 1 : 1, requant,
                                    linear.displayName());
    counters.accumulatorOverflows += r.biasOverflows;
    return std::move(r.output);
}

} // namespace bg
