// The oracle for intMatMulFast: the dot products of §6 in int64.
#include "integer/int_matmul.h"
#include "integer/int_matmul_geometry.h"

#include "io/error.h"

namespace bg {

IntMatMulGeometry intMatMulGeometry(const Shape& a, const Shape& b, const IntMatMulParams& p)
{
    if (a.empty() || b.size() != 2)
        throw Error(ErrorCode::ShapeMismatch, p.name,
                    "integer MatMul/Gemm needs an input of rank >= 1 and a 2-D weight; got " +
                        shapeToString(a) + " and " + shapeToString(b));
    IntMatMulGeometry g;
    g.k = a.back();
    const int64_t wk = p.transB ? b[1] : b[0];
    g.n = p.transB ? b[0] : b[1];
    if (wk != g.k)
        throw Error(ErrorCode::ShapeMismatch, p.name,
                    "input " + shapeToString(a) + " has depth " + std::to_string(g.k) + " but weight " +
                        shapeToString(b) + (p.transB ? " (transB)" : "") + " has depth " +
                        std::to_string(wk));
    g.outShape.assign(a.begin(), a.end() - 1);
    g.outShape.push_back(g.n);
    g.m = 1;
    for (size_t i = 0; i + 1 < a.size(); ++i)
        g.m *= a[i];
    checkedIntOutputNumel(g.outShape, p.name);
    if (g.k <= 0)
        throw Error(ErrorCode::ShapeMismatch, p.name, "input " + shapeToString(a) + " has depth 0");
    return g;
}

Shape intMatMulOutputShape(const Shape& a, const Shape& b, const IntMatMulParams& p)
{
    return intMatMulGeometry(a, b, p).outShape;
}

IntAccumulators intMatMulReference(const QuantActivation& a, const QuantWeight& b,
                                   const IntMatMulParams& p)
{
    validateActivation(a, p.name);
    validateWeight(b, p.name);
    const IntMatMulGeometry g = intMatMulGeometry(a.shape, b.shape, p);
    IntAccumulators out;
    out.shape = g.outShape;
    out.path = IntKernelPath::Reference;
    out.channelOverflows.assign(static_cast<size_t>(g.n), 0);
    out.values.resize(static_cast<size_t>(g.m * g.n));
    const int64_t zp = a.zeroPoint;
    for (int64_t m = 0; m < g.m; ++m)
        for (int64_t j = 0; j < g.n; ++j) {
            int64_t acc = 0;
            for (int64_t kk = 0; kk < g.k; ++kk)
                acc += int64_t{b.values[g.weightIndex(kk, j, p.transB)]} *
                       (int64_t{a.values[static_cast<size_t>(m * g.k + kk)]} - zp);
            out.values[static_cast<size_t>(m * g.n + j)] = narrowAccumulator(acc, out, j);
        }
    return out;
}

} // namespace bg
