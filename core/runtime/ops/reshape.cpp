// Reshape: new shape from input 1 (opset 5+) or the `shape` attribute (opset 1). A 0 copies the
// input's dim at that position unless allowzero=1 (opset 14), where it means a real 0; one -1 is
// inferred from the element count.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

namespace {

std::vector<bg::Tensor> reshape(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    std::vector<int64_t> spec;
    if (ctx.has(1))
        spec = bg::inputInts(ctx, 1, "shape");
    else if (ctx.node.hasAttr("shape"))
        spec = ctx.node.attrInts("shape", {});
    else
        ctx.fail(bg::ErrorCode::InvalidModel, "the target shape (input 1) is missing");
    const bool allowZero = ctx.node.attrInt("allowzero", 0) != 0;

    bg::Shape out(spec.size());
    int inferAt = -1;
    int64_t known = 1;
    for (size_t i = 0; i < spec.size(); ++i) {
        int64_t d = spec[i];
        if (d == 0 && !allowZero) {
            if (i >= x.shape().size())
                ctx.fail(bg::ErrorCode::ShapeMismatch, "target shape " + bg::shapeToString(spec) + " copies dimension "
                                                           + std::to_string(i) + " (0) but the input "
                                                           + bg::shapeToString(x.shape()) + " has no such dimension");
            d = x.shape()[i];
        }
        if (d == -1) {
            if (inferAt >= 0)
                ctx.fail(bg::ErrorCode::ShapeMismatch, "target shape " + bg::shapeToString(spec) + " has more than one -1");
            inferAt = static_cast<int>(i);
            out[i] = -1;
            continue;
        }
        if (d < 0)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "target shape " + bg::shapeToString(spec) + " has invalid dimension "
                                                       + std::to_string(d));
        out[i] = d;
        if (d != 0 && known > bg::kMaxKernelElements / d)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "target shape " + bg::shapeToString(spec) + " is too large");
        known *= d;
    }
    if (inferAt >= 0) {
        if (known == 0 || x.numel() % known != 0)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot infer the -1 in " + bg::shapeToString(spec) + " for an input of "
                                                       + std::to_string(x.numel()) + " elements (shape "
                                                       + bg::shapeToString(x.shape()) + ")");
        out[static_cast<size_t>(inferAt)] = x.numel() / known;
    } else if (known != x.numel()) {
        ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot reshape " + bg::shapeToString(x.shape()) + " ("
                                                   + std::to_string(x.numel()) + " elements) to "
                                                   + bg::shapeToString(out));
    }
    return bg::outputs(ctx.takeOrCopyOf(x).reshaped(out));
}

} // namespace

void bg_register_reshape(bg::OpRegistry& registry)
{
    registry.add({"Reshape", reshape, {}});
}
