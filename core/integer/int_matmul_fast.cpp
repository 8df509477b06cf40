// intMatMulFast: oneDNN computes S = q_a·q_w (u8×s8→s32, exact under the guards); the zero point
// is removed afterwards as acc[m, j] = S[m, j] − zp_a·Σ_k q_w(k, j) in int64. Split codes (no
// VNNI, int_dnnl_support.h) are 2M rows: the hi rows, then the lo rows.
#include "integer/int_dnnl_support.h"
#include "integer/int_matmul.h"
#include "integer/int_matmul_geometry.h"

#include <algorithm>
#include <cstdlib>

namespace bg {

IntAccumulators intMatMulFast(const QuantActivation& a, const QuantWeight& b, const IntMatMulParams& p)
{
    const uint8_t largestCode = validateActivation(a, p.name);
    validateWeight(b, p.name);
    const IntMatMulGeometry g = intMatMulGeometry(a.shape, b.shape, p);

    std::vector<int64_t> colSum(static_cast<size_t>(g.n), 0);
    std::vector<int64_t> absColSum(static_cast<size_t>(g.n), 0);
    int64_t maxAbsW = 0;
    for (int64_t kk = 0; kk < g.k; ++kk)
        for (int64_t j = 0; j < g.n; ++j) {
            const int64_t q = b.values[g.weightIndex(kk, j, p.transB)];
            colSum[static_cast<size_t>(j)] += q;
            absColSum[static_cast<size_t>(j)] += std::abs(q);
            maxAbsW = std::max(maxAbsW, std::abs(q));
        }
    const IntKernelPath path = intDnnlPath(absColSum, intMaxActivationCode(largestCode, a.zeroPoint), maxAbsW);
    if (path == IntKernelPath::Reference)
        return intMatMulReference(a, b, p);
    const int64_t rows = intDnnlBlocks(path) * g.m;
    std::vector<uint8_t> split;
    if (path == IntKernelPath::OneDnnSplit)
        split = intSplitCodes(a.values);
    // oneDNN takes non-const handles; the inputs are only read.
    uint8_t* srcCodes = split.empty() ? const_cast<uint8_t*>(a.values.data()) : split.data();

    std::vector<int32_t> sums(static_cast<size_t>(rows * g.n));
    try {
        using dnnl::memory;
        using tag = memory::format_tag;
        using dt = memory::data_type;
        dnnl::engine& eng = intDnnlEngine();
        dnnl::stream stream(eng);
        memory src({{rows, g.k}, dt::u8, tag::ab}, eng, srcCodes);
        memory wei({{g.k, g.n}, dt::s8, p.transB ? tag::ba : tag::ab}, eng,
                   const_cast<int8_t*>(b.values.data()));
        memory dst({{rows, g.n}, dt::s32, tag::ab}, eng, sums.data());
        const dnnl::matmul::desc desc(src.get_desc(), wei.get_desc(), dst.get_desc());
        const dnnl::matmul::primitive_desc pd(desc, eng);
        if (!intDnnlStoreIsExact(pd.impl_info_str(), absColSum, intMaxActivationCode(largestCode, a.zeroPoint), path))
            return intMatMulReference(a, b, p);
        dnnl::matmul(pd).execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}});
        stream.wait();
    } catch (const dnnl::error&) {
        return intMatMulReference(a, b, p);
    }

    const size_t blockSize = static_cast<size_t>(g.m * g.n);
    IntAccumulators out = intDnnlAccumulators(g.outShape, g.n, blockSize, path);
    for (int64_t m = 0; m < g.m; ++m)
        for (int64_t j = 0; j < g.n; ++j) {
            const size_t i = static_cast<size_t>(m * g.n + j);
            const int64_t exact = intDnnlJoinedSum(sums, i, blockSize, path) - a.zeroPoint * colSum[static_cast<size_t>(j)];
            out.values[i] = narrowAccumulator(exact, out, j);
        }
    return out;
}

} // namespace bg
