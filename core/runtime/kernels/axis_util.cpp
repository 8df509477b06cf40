#include "runtime/kernels/axis_util.h"

#include "runtime/kernels/shape_util.h"

#include <algorithm>

namespace bg {

int normalizeAxis(const KernelContext& ctx, int64_t axis, int64_t rank, const char* what)
{
    if (axis < -rank || axis >= rank)
        ctx.fail(ErrorCode::BadAttribute, std::string(what) + " " + std::to_string(axis) + " is out of range for rank "
                                              + std::to_string(rank));
    return static_cast<int>(axis < 0 ? axis + rank : axis);
}

std::vector<int> normalizeAxes(const KernelContext& ctx, const std::vector<int64_t>& axes, int64_t rank,
                               const char* what)
{
    std::vector<int> out;
    out.reserve(axes.size());
    for (int64_t a : axes) {
        const int n = normalizeAxis(ctx, a, rank, what);
        if (std::find(out.begin(), out.end(), n) != out.end())
            ctx.fail(ErrorCode::BadAttribute, std::string(what) + " lists axis " + std::to_string(n) + " twice");
        out.push_back(n);
    }
    return out;
}

std::vector<int64_t> axesFromInputOrAttr(const KernelContext& ctx, size_t inputIndex, bool* given)
{
    if (ctx.has(inputIndex)) {
        *given = true;
        return inputInts(ctx, inputIndex, "axes");
    }
    if (auto attr = ctx.node.attrIntsOpt("axes")) {
        *given = true;
        return *attr;
    }
    *given = false;
    return {};
}

int64_t dimProduct(const Shape& shape, int from, int to)
{
    int64_t p = 1;
    for (int d = from; d < to; ++d)
        p *= shape[static_cast<size_t>(d)];
    return p;
}

} // namespace bg
