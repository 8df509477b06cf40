#include "runtime/kernels/axis_softmax.h"

#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"

#include <cmath>

namespace bg {

Tensor softmaxFamily(const KernelContext& ctx, const Tensor& x, SoftmaxKind kind)
{
    requireFloat(ctx, x);
    const int rank = x.rank();
    int64_t outer = 1, len = 1, inner = 1;
    if (rank > 0) {
        const bool coerce2d = ctx.opset < 13;
        const int axis = normalizeAxis(ctx, ctx.node.attrInt("axis", coerce2d ? 1 : -1), rank);
        outer = dimProduct(x.shape(), 0, axis);
        if (coerce2d) {
            len = dimProduct(x.shape(), axis, rank);
        } else {
            len = x.dim(axis);
            inner = dimProduct(x.shape(), axis + 1, rank);
        }
    }
    Tensor y = x;
    const auto in = x.floats();
    auto out = y.floats();
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
            const int64_t base = o * len * inner + i;
            auto at = [&](int64_t k) { return static_cast<size_t>(base + k * inner); };
            // Subtracting the maximum keeps exp from overflowing (softmax is shift-invariant).
            float mx = -INFINITY;
            int64_t argmax = 0;
            for (int64_t k = 0; k < len; ++k)
                if (in[at(k)] > mx) {
                    mx = in[at(k)];
                    argmax = k;
                }
            if (kind == SoftmaxKind::Hardmax) {
                for (int64_t k = 0; k < len; ++k)
                    out[at(k)] = k == argmax ? 1.0f : 0.0f;
                continue;
            }
            double sum = 0.0;
            for (int64_t k = 0; k < len; ++k)
                sum += std::exp(static_cast<double>(in[at(k)]) - mx);
            for (int64_t k = 0; k < len; ++k) {
                const double shifted = static_cast<double>(in[at(k)]) - mx;
                out[at(k)] = static_cast<float>(kind == SoftmaxKind::LogSoftmax ? shifted - std::log(sum)
                                                                                : std::exp(shifted) / sum);
            }
        }
    return y;
}

} // namespace bg
