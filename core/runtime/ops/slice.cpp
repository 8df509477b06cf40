// Slice: per listed axis, elements start, start+step, ... up to (excluding) end. Opset < 10 takes
// `starts`/`ends`/`axes` attributes (step 1); opset 10+ takes them as inputs plus `steps`.
// Negative starts/ends count from the end; out-of-range values (INT64_MAX as "to the end") are
// clamped as the ONNX spec says, differently for negative steps so that they can reach index 0.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

namespace {

std::vector<bg::Tensor> slice(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    const int rank = x.rank();
    std::vector<int64_t> starts, ends, axes, steps;
    bool axesGiven = false;
    if (ctx.opset < 10 && !ctx.has(1)) {
        starts = ctx.node.attrInts("starts", {});
        ends = ctx.node.attrInts("ends", {});
        if (auto a = ctx.node.attrIntsOpt("axes")) {
            axes = *a;
            axesGiven = true;
        }
    } else {
        starts = bg::inputInts(ctx, 1, "starts");
        ends = bg::inputInts(ctx, 2, "ends");
        if (ctx.has(3)) {
            axes = bg::inputInts(ctx, 3, "axes");
            axesGiven = true;
        }
        if (ctx.has(4))
            steps = bg::inputInts(ctx, 4, "steps");
    }
    if (starts.size() != ends.size())
        ctx.fail(bg::ErrorCode::ShapeMismatch, "starts has " + std::to_string(starts.size()) + " entries, ends "
                                                   + std::to_string(ends.size()));
    if (!axesGiven)
        for (size_t i = 0; i < starts.size(); ++i)
            axes.push_back(static_cast<int64_t>(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (axes.size() != starts.size() || steps.size() != starts.size())
        ctx.fail(bg::ErrorCode::ShapeMismatch, "starts, ends, axes and steps must have the same length");
    const std::vector<int> ax = bg::normalizeAxes(ctx, axes, rank);

    // Per output dim: first input index and step.
    std::vector<int64_t> first(static_cast<size_t>(rank), 0), step(static_cast<size_t>(rank), 1);
    bg::Shape outShape = x.shape();
    for (size_t i = 0; i < ax.size(); ++i) {
        const auto d = static_cast<size_t>(ax[i]);
        const int64_t dim = x.shape()[d];
        const int64_t st = steps[i];
        if (st == 0)
            ctx.fail(bg::ErrorCode::BadInput, "step for axis " + std::to_string(d) + " is 0");
        int64_t s = starts[i];
        int64_t e = ends[i];
        if (s < 0)
            s += dim;  // cannot overflow: s < 0 and dim >= 0
        if (e < 0)
            e += dim;
        int64_t len = 0;
        if (dim == 0) {
            s = 0;  // nothing to take (and clamping to [0, dim - 1] would be meaningless)
        } else if (st > 0) {
            s = std::clamp<int64_t>(s, 0, dim);
            e = std::clamp<int64_t>(e, 0, dim);
            if (e > s)
                len = 1 + (e - s - 1) / st;  // ceil((e - s) / st) without overflow for huge steps
        } else {
            s = std::clamp<int64_t>(s, 0, dim - 1);
            e = std::clamp<int64_t>(e, -1, dim - 1);
            if (s > e)  // -st overflows for INT64_MIN, so divide as unsigned magnitudes
                len = 1 + static_cast<int64_t>(static_cast<uint64_t>(s - e - 1) / (uint64_t{0} - static_cast<uint64_t>(st)));
        }
        outShape[d] = len;
        first[d] = s;
        step[d] = len > 1 ? st : 0;  // a single element never steps (keeps huge steps from overflowing)
    }
    bg::checkedNumel(ctx, outShape);
    const std::vector<int64_t> inStrides = bg::shapeStrides(x.shape());
    return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
        const auto src = bg::valuesOf<T>(x);
        std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
        if (out.empty())
            return bg::makeTensor(outShape, std::move(out), x.elemType());
        int64_t base = 0;
        for (int d = 0; d < rank; ++d)
            base += first[static_cast<size_t>(d)] * inStrides[static_cast<size_t>(d)];
        std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
        int64_t off = base;
        for (size_t o = 0; o < out.size(); ++o) {
            out[o] = src[static_cast<size_t>(off)];
            for (int d = rank - 1; d >= 0; --d) {
                const auto du = static_cast<size_t>(d);
                const int64_t jump = step[du] * inStrides[du];
                off += jump;
                if (++idx[du] < outShape[du])
                    break;
                off -= jump * outShape[du];
                idx[du] = 0;
            }
        }
        return bg::makeTensor(outShape, std::move(out), x.elemType());
    }));
}

} // namespace

void bg_register_slice(bg::OpRegistry& registry)
{
    registry.add({"Slice", slice, {}});
}
