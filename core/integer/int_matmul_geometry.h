#pragma once
// Internal to the integer matmul: rows M, depth K, columns N of a validated Gemm/MatMul.
#include "integer/int_matmul.h"

namespace bg {

struct IntMatMulGeometry {
    int64_t m = 0, k = 0, n = 0;
    Shape outShape;
    // Weight element (k, j) in the stored layout.
    size_t weightIndex(int64_t kk, int64_t j, bool transB) const
    {
        return static_cast<size_t>(transB ? j * k + kk : kk * n + j);
    }
};

IntMatMulGeometry intMatMulGeometry(const Shape& a, const Shape& b, const IntMatMulParams& p);

} // namespace bg
