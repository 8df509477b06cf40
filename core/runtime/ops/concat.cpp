// Concat: joins the inputs along `axis` (negative from opset 11); all other dims must match.
// Empty inputs (a 0-sized axis) are allowed.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/parallel_ranges.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <algorithm>
#include <type_traits>

namespace {

std::vector<bg::Tensor> concat(const bg::KernelContext& ctx)
{
    std::vector<const bg::Tensor*> ins;
    for (size_t i = 0; i < ctx.numInputs(); ++i)
        if (ctx.has(i))
            ins.push_back(ctx.inputs[i]);
    if (ins.empty())
        ctx.fail(bg::ErrorCode::InvalidModel, "needs at least one input");
    const bg::Tensor& first = *ins.front();
    const int rank = first.rank();
    if (rank == 0)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "cannot concatenate scalars");
    const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis"), rank);
    bg::Shape outShape = first.shape();
    outShape[static_cast<size_t>(axis)] = 0;
    for (const bg::Tensor* t : ins) {
        bg::requireSameDType(ctx, first, *t);
        bool ok = t->rank() == rank;
        for (int d = 0; ok && d < rank; ++d)
            ok = d == axis || t->dim(d) == first.dim(d);
        if (!ok)
            ctx.fail(bg::ErrorCode::ShapeMismatch, "input shapes " + bg::shapeToString(first.shape()) + " and "
                                                       + bg::shapeToString(t->shape()) + " differ outside axis "
                                                       + std::to_string(axis));
        outShape[static_cast<size_t>(axis)] += t->dim(axis);
    }
    bg::checkedNumel(ctx, outShape);
    const int64_t outer = bg::dimProduct(outShape, 0, axis);
    const int64_t inner = bg::dimProduct(outShape, axis + 1, rank);
    return bg::outputs(bg::visitDType(first, [&]<class T>(T) {
        std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
        const int64_t outRow = outShape[static_cast<size_t>(axis)] * inner;
        int64_t col = 0;  // start of this input's block within an output row
        for (const bg::Tensor* t : ins) {
            const auto src = bg::valuesOf<T>(*t);
            const int64_t block = t->dim(axis) * inner;
            // Copies on the thread team: rows of the outer axes, or parts of one long block.
            // (Trivially copyable types only: a string's copy may throw, which a team must not.)
            const int64_t parts = outer == 1 ? std::max<int64_t>(1, block / 65536) : outer;
            const int64_t partLen = outer == 1 ? (block + parts - 1) / parts : block;
            bg::parallelRanges(parts, std::is_trivially_copyable_v<T> ? partLen : 0, [&](int64_t begin, int64_t end) {
                for (int64_t o = begin; o < end; ++o) {
                    const int64_t from = outer == 1 ? o * partLen : o * block;
                    const int64_t len = outer == 1 ? std::min(partLen, block - from) : block;
                    const int64_t to = outer == 1 ? col + from : o * outRow + col;
                    std::copy_n(src.begin() + from, len, out.begin() + to);
                }
            });
            col += block;
        }
        return bg::makeTensor(outShape, std::move(out), first.elemType());
    }));
}

} // namespace

void bg_register_concat(bg::OpRegistry& registry)
{
    registry.add({"Concat", concat, {}});
}
