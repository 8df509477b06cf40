// Clip: y = min(max(x, lo), hi). Opset < 11 takes `min`/`max` attributes; opset 11+ takes
// optional scalar inputs 1 and 2 (an omitted one means no bound). Integer tensors from opset 12.
#include "runtime/kernels/elementwise.h"
#include "runtime/kernels/elementwise_formulas.h"

#include <algorithm>
#include <limits>

namespace {

std::vector<bg::Tensor> clip(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    if (x.isFloat()) {
        float lo = -std::numeric_limits<float>::infinity();
        float hi = std::numeric_limits<float>::infinity();
        if (ctx.opset < 11) {
            lo = ctx.node.attrFloat("min", std::numeric_limits<float>::lowest());
            hi = ctx.node.attrFloat("max", std::numeric_limits<float>::max());
        } else {
            if (ctx.has(1))
                lo = bg::inputScalarFloat(ctx, 1, "min");
            if (ctx.has(2))
                hi = bg::inputScalarFloat(ctx, 2, "max");
        }
        return bg::outputs(bg::mapFloat(ctx, x, [lo, hi](float v) { return bg::clipFloat(v, lo, hi); }));
    }
    int64_t lo = std::numeric_limits<int64_t>::min();
    int64_t hi = std::numeric_limits<int64_t>::max();
    auto bound = [&](size_t i, const char* what) {
        const std::vector<int64_t> v = bg::inputInts(ctx, i, what);
        if (v.size() != 1)
            ctx.fail(bg::ErrorCode::ShapeMismatch, std::string(what) + " must be a scalar");
        return v[0];
    };
    if (ctx.has(1))
        lo = bound(1, "min");
    if (ctx.has(2))
        hi = bound(2, "max");
    return bg::outputs(bg::mapNumeric(ctx,
        x, [](float v) { return v; }, [lo, hi](int64_t v) { return std::min(std::max(v, lo), hi); }));
}

} // namespace

void bg_register_clip(bg::OpRegistry& registry)
{
    registry.add({"Clip", clip, {}});
}
