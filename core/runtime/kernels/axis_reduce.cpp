#include "runtime/kernels/axis_reduce.h"

#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/shape_util.h"

#include <cmath>
#include <limits>

namespace bg {

namespace {

double initial(ReduceKind kind)
{
    switch (kind) {
    case ReduceKind::Max: return -std::numeric_limits<double>::infinity();
    case ReduceKind::Min: return std::numeric_limits<double>::infinity();
    case ReduceKind::Prod: return 1.0;
    default: return 0.0;
    }
}

double combine(ReduceKind kind, double acc, double v)
{
    switch (kind) {
    case ReduceKind::Max: return (std::isnan(acc) || acc >= v) ? acc : v;
    case ReduceKind::Min: return (std::isnan(acc) || acc <= v) ? acc : v;
    case ReduceKind::Prod: return acc * v;
    case ReduceKind::L1: return acc + std::fabs(v);
    case ReduceKind::L2:
    case ReduceKind::SumSquare: return acc + v * v;
    case ReduceKind::LogSumExp: return acc + std::exp(v);
    default: return acc + v;  // Sum, Mean, LogSum
    }
}

double finish(ReduceKind kind, double acc, int64_t count)
{
    switch (kind) {
    case ReduceKind::Mean: return acc / static_cast<double>(count);
    case ReduceKind::L2: return std::sqrt(acc);
    case ReduceKind::LogSum:
    case ReduceKind::LogSumExp: return std::log(acc);
    default: return acc;
    }
}

} // namespace

Tensor reduceAxes(const KernelContext& ctx, const Tensor& x, ReduceKind kind)
{
    const int rank = x.rank();
    bool given = false;
    // Input 1 holds the axes only where the opset moved them there; earlier opsets have 1 input.
    const std::vector<int64_t> raw = axesFromInputOrAttr(ctx, 1, &given);
    const bool keepDims = ctx.node.attrInt("keepdims", 1) != 0;
    if (raw.empty() && ctx.node.attrInt("noop_with_empty_axes", 0) != 0)
        return x;
    std::vector<bool> reduced(static_cast<size_t>(rank), raw.empty());
    for (int a : normalizeAxes(ctx, raw, rank))
        reduced[static_cast<size_t>(a)] = true;

    Shape kept = x.shape();  // keepdims form: reduced dims become 1
    Shape outShape;
    int64_t count = 1;
    for (size_t d = 0; d < kept.size(); ++d) {
        if (reduced[d]) {
            count *= kept[d];
            kept[d] = 1;
            if (keepDims)
                outShape.push_back(1);
        } else {
            outShape.push_back(kept[d]);
        }
    }
    const int64_t outCount = shapeNumel(kept);
    // Max/Min of nothing has no value; the others have their identity.
    if (count == 0 && outCount > 0 && (kind == ReduceKind::Max || kind == ReduceKind::Min) && !x.isFloat())
        ctx.fail(ErrorCode::ShapeMismatch, "cannot take the max/min over an empty axis of an integer tensor");

    std::vector<double> acc(static_cast<size_t>(outCount), initial(kind));
    const std::array<std::vector<int64_t>, 1> strides{broadcastStrides(kept, x.shape())};
    if (x.isFloat()) {
        const auto v = x.floats();
        forEachBroadcast<1>(x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
            auto& a = acc[static_cast<size_t>(off[0])];
            a = combine(kind, a, static_cast<double>(v[static_cast<size_t>(i)]));
        });
        std::vector<float> out(acc.size());
        for (size_t k = 0; k < acc.size(); ++k)
            out[k] = static_cast<float>(finish(kind, acc[k], count));
        Tensor t(outShape, std::move(out));
        t.setElemType(x.elemType());
        return t;
    }
    // Integers: exact for sums/products that fit (wrapping like the integer type would).
    std::vector<int64_t> iacc(static_cast<size_t>(outCount), kind == ReduceKind::Prod ? 1 : 0);
    std::vector<bool> seen(static_cast<size_t>(outCount), false);
    const auto v = x.ints();
    forEachBroadcast<1>(x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        const auto o = static_cast<size_t>(off[0]);
        const int64_t e = v[static_cast<size_t>(i)];
        const auto ua = static_cast<uint64_t>(iacc[o]);
        const auto ue = static_cast<uint64_t>(e);
        switch (kind) {
        case ReduceKind::Max: iacc[o] = seen[o] ? std::max(iacc[o], e) : e; break;
        case ReduceKind::Min: iacc[o] = seen[o] ? std::min(iacc[o], e) : e; break;
        case ReduceKind::Prod: iacc[o] = static_cast<int64_t>(ua * ue); break;
        case ReduceKind::L1: iacc[o] = static_cast<int64_t>(ua + (e < 0 ? uint64_t{0} - ue : ue)); break;
        case ReduceKind::L2:
        case ReduceKind::SumSquare: iacc[o] = static_cast<int64_t>(ua + ue * ue); break;
        default: iacc[o] = static_cast<int64_t>(ua + ue); break;
        }
        seen[o] = true;
        acc[o] = combine(kind, acc[o], static_cast<double>(e));
    });
    std::vector<int64_t> out(iacc.size());
    for (size_t k = 0; k < out.size(); ++k) {
        switch (kind) {
        case ReduceKind::Mean: out[k] = count ? iacc[k] / count : 0; break;
        case ReduceKind::L2:
        case ReduceKind::LogSum:
        case ReduceKind::LogSumExp: out[k] = floatToInt64(finish(kind, acc[k], count)); break;
        default: out[k] = iacc[k]; break;
        }
    }
    Tensor t(outShape, std::move(out));
    t.setElemType(x.elemType());
    return t;
}

Tensor argReduce(const KernelContext& ctx, const Tensor& x, bool isMax)
{
    if (x.rank() == 0)
        ctx.fail(ErrorCode::ShapeMismatch, "input must have rank 1 or more");
    const int axis = normalizeAxis(ctx, ctx.node.attrInt("axis", 0), x.rank());
    const bool keepDims = ctx.node.attrInt("keepdims", 1) != 0;
    const bool last = ctx.node.attrInt("select_last_index", 0) != 0;
    const int64_t len = x.dim(axis);
    if (len == 0)
        ctx.fail(ErrorCode::ShapeMismatch, "cannot take the arg max/min over an empty axis");
    const int64_t outer = dimProduct(x.shape(), 0, axis);
    const int64_t inner = dimProduct(x.shape(), axis + 1, x.rank());
    Shape outShape = x.shape();
    if (keepDims)
        outShape[static_cast<size_t>(axis)] = 1;
    else
        outShape.erase(outShape.begin() + axis);
    std::vector<int64_t> out(static_cast<size_t>(outer * inner));
    visitDType(x, [&]<class T>(T) {
        const auto v = valuesOf<T>(x);  // typed, so int64 values keep their exact order
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i = 0; i < inner; ++i) {
                auto at = [&](int64_t k) { return v[static_cast<size_t>((o * len + k) * inner + i)]; };
                auto better = [&](T a, T b) { return isMax ? a > b : a < b; };  // strictly better
                int64_t best = 0;
                for (int64_t k = 1; k < len; ++k)
                    if (better(at(k), at(best)) || (last && !better(at(best), at(k))))
                        best = k;
                out[static_cast<size_t>(o * inner + i)] = best;
            }
        return 0;
    });
    return Tensor(outShape, std::move(out));
}

} // namespace bg
