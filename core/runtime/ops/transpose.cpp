// Transpose: output dim i is input dim perm[i]; perm defaults to reversing the dims.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <numeric>

namespace {

std::vector<bg::Tensor> transpose(const bg::KernelContext& ctx)
{
    const bg::Tensor& x = ctx.in(0);
    const int rank = x.rank();
    std::vector<int64_t> raw(static_cast<size_t>(rank));
    std::iota(raw.rbegin(), raw.rend(), 0);
    raw = ctx.node.attrInts("perm", raw);
    if (static_cast<int>(raw.size()) != rank)
        ctx.fail(bg::ErrorCode::BadAttribute, "perm has " + std::to_string(raw.size()) + " entries for a rank-"
                                                  + std::to_string(rank) + " input");
    const std::vector<int> perm = bg::normalizeAxes(ctx, raw, rank, "perm");

    bg::Shape outShape(static_cast<size_t>(rank));
    const std::vector<int64_t> inStrides = bg::shapeStrides(x.shape());
    std::vector<int64_t> strides(static_cast<size_t>(rank));  // input stride of each output dim
    for (int i = 0; i < rank; ++i) {
        outShape[static_cast<size_t>(i)] = x.shape()[static_cast<size_t>(perm[static_cast<size_t>(i)])];
        strides[static_cast<size_t>(i)] = inStrides[static_cast<size_t>(perm[static_cast<size_t>(i)])];
    }
    return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
        const auto src = bg::valuesOf<T>(x);
        std::vector<T> out(src.size());
        std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
        int64_t off = 0;
        for (size_t o = 0; o < out.size(); ++o) {
            out[o] = src[static_cast<size_t>(off)];
            for (int d = rank - 1; d >= 0; --d) {
                const auto du = static_cast<size_t>(d);
                off += strides[du];
                if (++idx[du] < outShape[du])
                    break;
                off -= strides[du] * outShape[du];
                idx[du] = 0;
            }
        }
        return bg::makeTensor(outShape, std::move(out), x.elemType());
    }));
}

} // namespace

void bg_register_transpose(bg::OpRegistry& registry)
{
    registry.add({"Transpose", transpose, {}});
}
