#include "runtime/kernels/matmul_kernels.h"

#include "runtime/kernels/dnnl_context.h"

namespace bg {

void matMulReference(const MatMulProblem& p, const float* a, const float* b, float* y)
{
    // Element (row, col) of op(A) / op(B) inside one batch matrix.
    auto atA = [&](const float* base, int64_t i, int64_t kk) { return p.transA ? base[kk * p.m + i] : base[i * p.k + kk]; };
    auto atB = [&](const float* base, int64_t kk, int64_t j) { return p.transB ? base[j * p.k + kk] : base[kk * p.n + j]; };
    for (int64_t bi = 0; bi < p.batch; ++bi) {
        const float* ab = a + bi * p.m * p.k;
        const float* bb = b + bi * p.k * p.n;
        float* yb = y + bi * p.m * p.n;
        for (int64_t i = 0; i < p.m; ++i)
            for (int64_t j = 0; j < p.n; ++j) {
                double acc = 0.0;
                for (int64_t kk = 0; kk < p.k; ++kk)
                    acc += double(atA(ab, i, kk)) * double(atB(bb, kk, j));
                yb[i * p.n + j] = static_cast<float>(double(p.alpha) * acc);
            }
    }
}

bool dnnlMatMul(const MatMulProblem& p, const float* a, const float* b, float* y)
{
    using dnnl::memory;
    if (p.batch == 0 || p.m == 0 || p.n == 0)
        return true;  // nothing to write
    if (p.k == 0)
        return false;  // the reference writes the zeros
    try {
        const memory::dims aDims{p.batch, p.m, p.k}, bDims{p.batch, p.k, p.n};
        const memory::dims aStrides = p.transA ? memory::dims{p.m * p.k, 1, p.m} : memory::dims{p.m * p.k, p.k, 1};
        const memory::dims bStrides = p.transB ? memory::dims{p.k * p.n, 1, p.k} : memory::dims{p.k * p.n, p.n, 1};
        const memory::desc aMd(aDims, memory::data_type::f32, aStrides);
        const memory::desc bMd(bDims, memory::data_type::f32, bStrides);
        const memory::desc yMd = dnnlPlainDesc({p.batch, p.m, p.n});
        dnnl::primitive_attr attr;
        if (p.alpha != 1.0f)
            attr.set_output_scales(0, {p.alpha});
        dnnl::matmul::desc desc(aMd, bMd, yMd);
        dnnl::matmul::primitive_desc pd(desc, attr, dnnlEngine());
        memory aMem(aMd, dnnlEngine(), const_cast<float*>(a));
        memory bMem(bMd, dnnlEngine(), const_cast<float*>(b));
        memory yMem(yMd, dnnlEngine(), y);
        dnnlExecute(dnnl::matmul(pd), {{DNNL_ARG_SRC, aMem}, {DNNL_ARG_WEIGHTS, bMem}, {DNNL_ARG_DST, yMem}});
        return true;
    } catch (const dnnl::error&) {
        return false;
    }
}

} // namespace bg
