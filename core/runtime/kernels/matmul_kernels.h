#pragma once
// Batched matrix products shared by MatMul and Gemm: a plain double-accumulating reference and a
// oneDNN matmul. Operands are dense row-major; a transposed operand is read through strides, so
// neither kernel copies it.
#include <cstdint>

namespace bg {

struct MatMulProblem {
    int64_t batch = 1;  // both operands hold `batch` matrices (callers expand broadcasts first)
    int64_t m = 0, k = 0, n = 0;
    bool transA = false;  // A stored as [K, M] per batch instead of [M, K]
    bool transB = false;  // B stored as [N, K] per batch instead of [K, N]
    float alpha = 1.0f;   // y = alpha * A * B
};

// y [batch, M, N] = alpha * op(A) * op(B).
void matMulReference(const MatMulProblem& p, const float* a, const float* b, float* y);

// Same contract; returns false when oneDNN refuses (the caller falls back to the reference).
bool dnnlMatMul(const MatMulProblem& p, const float* a, const float* b, float* y);

} // namespace bg
