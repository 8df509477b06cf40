// Split: cuts the input along `axis` into the node's outputs. Sizes come from the `split`
// attribute (opset < 13) or input 1 (opset 13+); without them the axis is split equally, and
// opset 18's `num_outputs` gives ceil-sized parts with a smaller last one.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

namespace {

std::vector<bg::Tensor> split(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    if (x.rank() == 0)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot split a scalar");
    const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), x.rank());
    const int64_t dim = x.dim(axis);
    const auto numOutputs = static_cast<int64_t>(ctx.node.outputs.size());

    std::vector<int64_t> sizes;
    if (ctx.has(1))
        sizes = bg::inputInts(ctx, 1, "split");
    else if (ctx.node.hasAttr("split"))
        sizes = ctx.node.attrInts("split", {});
    if (sizes.empty()) {
        const int64_t parts = ctx.node.attrInt("num_outputs", numOutputs);
        if (parts <= 0 || parts != numOutputs)
            ctx.fail(bg::ErrorCode::InvalidModel, "num_outputs " + std::to_string(parts) + " does not match the node's "
                                                      + std::to_string(numOutputs) + " outputs");
        if (ctx.node.hasAttr("num_outputs")) {
            const int64_t chunk = (dim + parts - 1) / parts;
            for (int64_t p = 0, left = dim; p < parts; ++p, left -= chunk)
                sizes.push_back(std::max<int64_t>(0, std::min(chunk, left)));
        } else {
            if (dim % parts != 0)
                ctx.fail(bg::ErrorCode::ShapeMismatch, "axis " + std::to_string(axis) + " of size "
                                                           + std::to_string(dim) + " cannot be split equally into "
                                                           + std::to_string(parts) + " parts");
            sizes.assign(static_cast<size_t>(parts), dim / parts);
        }
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
        if (s < 0)
            ctx.fail(bg::ErrorCode::BadAttribute, "split sizes must not be negative");
        if (s > dim - total) {  // checked before adding, so huge sizes cannot overflow
            total = dim + 1;
            break;
        }
        total += s;
    }
    if (total != dim)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "split sizes " + bg::shapeToString(sizes) + " do not add up to axis "
                                                   + std::to_string(axis) + "'s size " + std::to_string(dim));
    if (static_cast<int64_t>(sizes.size()) < numOutputs)
        ctx.fail(bg::ErrorCode::InvalidModel, "has " + std::to_string(numOutputs) + " outputs but only "
                                                  + std::to_string(sizes.size()) + " split sizes");

    const int64_t outer = bg::dimProduct(x.shape(), 0, axis);
    const int64_t inner = bg::dimProduct(x.shape(), axis + 1, x.rank());
    std::vector<bg::Tensor> outs;
    bg::visitDType(x, [&]<class T>(T) {
        const auto src = bg::valuesOf<T>(x);
        int64_t start = 0;
        for (int64_t s : sizes) {
            bg::Shape shape = x.shape();
            shape[static_cast<size_t>(axis)] = s;
            std::vector<T> out(static_cast<size_t>(outer * s * inner));
            for (int64_t o = 0; o < outer; ++o)
                std::copy_n(src.begin() + (o * dim + start) * inner, s * inner, out.begin() + o * s * inner);
            outs.push_back(bg::makeTensor(std::move(shape), std::move(out), x.elemType()));
            start += s;
        }
        return 0;
    });
    return outs;
}

} // namespace

void bg_register_split(bg::OpRegistry& registry)
{
    registry.add({"Split", split, {}});
}
