#include "quantization/int_gemm.h"

#include "model/error.h"

namespace bg {

IntAccumulators intGemm(const QuantActivation& x, const QuantWeight& w, bool transB, const std::string& name)
{
    validateActivation(x, name);
    validateWeight(w, name);
    if (w.shape.size() != 2)
        throw Error(ErrorCode::ShapeMismatch, name, "integer Gemm/MatMul needs a 2-D weight, got "
                                                        + shapeToString(w.shape));
    if (x.shape.empty())
        throw Error(ErrorCode::ShapeMismatch, name, "integer Gemm/MatMul needs an input of rank >= 1");
    const int64_t K = transB ? w.shape[1] : w.shape[0];
    const int64_t N = transB ? w.shape[0] : w.shape[1];
    if (x.shape.back() != K)
        throw Error(ErrorCode::ShapeMismatch, name,
                    "input " + shapeToString(x.shape) + " does not match weight " + shapeToString(w.shape));
    IntAccumulators out;
    out.shape = x.shape;
    out.shape.back() = N;
    const int64_t total = checkedIntOutputNumel(out.shape, name);
    const int64_t M = total / N;
    out.values.resize(static_cast<size_t>(total));

    // Weight as [N, K] so the inner loop runs over contiguous memory of both operands.
    std::vector<int32_t> wt(static_cast<size_t>(N * K));
    for (int64_t k = 0; k < K; ++k)
        for (int64_t n = 0; n < N; ++n)
            wt[static_cast<size_t>(n * K + k)] = transB ? w.values[static_cast<size_t>(n * K + k)]
                                                        : w.values[static_cast<size_t>(k * N + n)];
    const int32_t zp = static_cast<int32_t>(x.zeroPoint);
    std::vector<int32_t> row(static_cast<size_t>(K));
    int64_t overflow = 0;
    for (int64_t m = 0; m < M; ++m) {
        for (int64_t k = 0; k < K; ++k)
            row[static_cast<size_t>(k)] = static_cast<int32_t>(x.values[static_cast<size_t>(m * K + k)]) - zp;
        for (int64_t n = 0; n < N; ++n) {
            const int32_t* wr = wt.data() + n * K;
            int64_t acc = 0;  // each product is below 2^16 in magnitude: int64 never overflows here
            for (int64_t k = 0; k < K; ++k)
                acc += static_cast<int64_t>(wr[k] * row[static_cast<size_t>(k)]);
            out.values[static_cast<size_t>(m * N + n)] = narrowAccumulator(acc, overflow);
        }
    }
    out.overflowCount = overflow;
    out.path = IntKernelPath::Reference;
    return out;
}

} // namespace bg
