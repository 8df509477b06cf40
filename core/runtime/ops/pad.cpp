// Pad: pads [x1_begin, x2_begin, ..., x1_end, x2_end, ...] around the input; negative pads crop.
// Opset < 11: `pads` (or opset 1's `paddings`) and `value` attributes; opset 11+: inputs pads and
// constant_value, opset 18 adds `axes`. Modes: constant, reflect (mirror without repeating the
// edge), edge (repeat the edge), wrap (opset 19, cyclic).
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <type_traits>

namespace {

enum class Mode { Constant, Reflect, Edge, Wrap };

// Input index for output position `o` along a dim of size `n` padded by `before`; -1 means
// "the constant value".
int64_t sourceIndex(int64_t o, int64_t before, int64_t n, Mode mode)
{
    int64_t i = o - before;
    if (i >= 0 && i < n)
        return i;
    switch (mode) {
    case Mode::Constant:
        return -1;
    case Mode::Edge:
        return i < 0 ? 0 : n - 1;
    case Mode::Wrap:
        return ((i % n) + n) % n;
    case Mode::Reflect: {
        if (n == 1)
            return 0;
        const int64_t period = 2 * (n - 1);
        int64_t m = ((i % period) + period) % period;
        return m < n ? m : period - m;
    }
    }
    return -1;
}

std::vector<bg::Tensor> pad(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    const int rank = x.rank();
    const std::string modeName = ctx.node.attrString("mode", "constant");
    Mode mode = Mode::Constant;
    if (modeName == "reflect")
        mode = Mode::Reflect;
    else if (modeName == "edge")
        mode = Mode::Edge;
    else if (modeName == "wrap")
        mode = Mode::Wrap;
    else if (modeName != "constant")
        ctx.fail(bg::ErrorCode::BadAttribute, "unknown mode '" + modeName + "'");

    std::vector<int64_t> pads;
    float fvalue = 0.0f;
    int64_t ivalue = 0;
    std::vector<int64_t> axes;
    if (ctx.opset < 11) {
        pads = ctx.node.hasAttr("pads") ? ctx.node.attrInts("pads", {}) : ctx.node.attrInts("paddings", {});
        fvalue = ctx.node.attrFloat("value", 0.0f);
        ivalue = bg::floatToInt64(fvalue);
    } else {
        pads = bg::inputInts(ctx, 1, "pads");
        if (ctx.has(2) && ctx.in(2).numel() > 0) {
            if (ctx.in(2).numel() != 1)
                ctx.fail(bg::ErrorCode::ShapeMismatch, "constant_value must be a scalar");
            if (ctx.in(2).isFloat()) {
                fvalue = ctx.in(2).floats()[0];
                ivalue = bg::floatToInt64(fvalue);
            } else {
                ivalue = ctx.in(2).ints()[0];
                fvalue = static_cast<float>(ivalue);
            }
        }
        if (ctx.has(3))
            axes = bg::inputInts(ctx, 3, "axes");
    }
    if (axes.empty())
        for (int d = 0; d < rank; ++d)
            axes.push_back(d);
    const std::vector<int> ax = bg::normalizeAxes(ctx, axes, rank);
    if (pads.size() != 2 * ax.size())
        ctx.fail(bg::ErrorCode::ShapeMismatch, "pads has " + std::to_string(pads.size()) + " entries, expected "
                                                   + std::to_string(2 * ax.size()));
    std::vector<int64_t> before(static_cast<size_t>(rank), 0);
    bg::Shape outShape = x.shape();
    for (size_t k = 0; k < ax.size(); ++k) {
        const auto d = static_cast<size_t>(ax[k]);
        const int64_t b = pads[k], e = pads[k + ax.size()];
        const int64_t n = x.shape()[d];
        if (b > bg::kMaxKernelElements || e > bg::kMaxKernelElements || b < -n || e < -n || n + b + e < 0)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "pads " + bg::shapeToString(pads) + " do not fit the input shape "
                                                       + bg::shapeToString(x.shape()));
        before[d] = b;
        outShape[d] = n + b + e;
        if (outShape[d] > 0 && n == 0 && mode != Mode::Constant)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot pad an empty axis in mode " + modeName);
    }
    bg::checkedNumel(ctx, outShape);

    // Per dim, the input index of each output position (-1: constant).
    std::vector<std::vector<int64_t>> src(static_cast<size_t>(rank));
    for (size_t d = 0; d < src.size(); ++d)
        for (int64_t o = 0; o < outShape[d]; ++o)
            src[d].push_back(sourceIndex(o, before[d], x.shape()[d], mode));
    const std::vector<int64_t> inStrides = bg::shapeStrides(x.shape());
    return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
        const auto in = bg::valuesOf<T>(x);
        const T fill = std::is_same_v<T, float> ? static_cast<T>(fvalue) : static_cast<T>(ivalue);
        std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
        std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
        for (size_t o = 0; o < out.size(); ++o) {
            int64_t off = 0;
            bool constant = false;
            for (size_t d = 0; d < idx.size() && !constant; ++d) {
                const int64_t s = src[d][static_cast<size_t>(idx[d])];
                constant = s < 0;
                off += s * inStrides[d];
            }
            out[o] = constant ? fill : in[static_cast<size_t>(off)];
            for (int d = rank - 1; d >= 0; --d) {
                const auto du = static_cast<size_t>(d);
                if (++idx[du] < outShape[du])
                    break;
                idx[du] = 0;
            }
        }
        return bg::makeTensor(outShape, std::move(out), x.elemType());
    }));
}

} // namespace

void bg_register_pad(bg::OpRegistry& registry)
{
    registry.add({"Pad", pad, {}});
}
