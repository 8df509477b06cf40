// Gather: picks entries of `data` along `axis` by `indices` (negative counts from the end);
// output shape = data[:axis] + indices.shape + data[axis+1:]. Works on float and int64 data, the
// latter being how exported models do shape arithmetic.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>

namespace {

std::vector<bg::Tensor> gather(const bg::KernelContext& ctx)
{
    const bg::Tensor& data = ctx.in(0);
    if (data.rank() == 0)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "data must have rank 1 or more");
    const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), data.rank());
    std::vector<int64_t> indices = bg::inputInts(ctx, 1, "indices");
    const int64_t dim = data.dim(axis);
    for (int64_t& i : indices) {
        if (i < -dim || i >= dim)
            ctx.fail(bg::ErrorCode::BadInput, "index " + std::to_string(i) + " is out of range for axis "
                                                  + std::to_string(axis) + " of size " + std::to_string(dim));
        if (i < 0)
            i += dim;
    }
    const bg::Shape& ds = data.shape();
    bg::Shape outShape(ds.begin(), ds.begin() + axis);
    const bg::Shape& is = ctx.in(1).shape();
    outShape.insert(outShape.end(), is.begin(), is.end());
    outShape.insert(outShape.end(), ds.begin() + axis + 1, ds.end());
    bg::checkedNumel(ctx, outShape);
    const int64_t outer = bg::dimProduct(ds, 0, axis);
    const int64_t inner = bg::dimProduct(ds, axis + 1, data.rank());
    return bg::outputs(bg::visitDType(data, [&]<class T>(T) {
        const auto src = bg::valuesOf<T>(data);
        std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
        auto dst = out.begin();
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i : indices) {
                dst = std::copy_n(src.begin() + (o * dim + i) * inner, inner, dst);
            }
        return bg::makeTensor(outShape, std::move(out), data.elemType());
    }));
}

} // namespace

void bg_register_gather(bg::OpRegistry& registry)
{
    registry.add({"Gather", gather, {}});
}
