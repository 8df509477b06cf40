#include "runtime/kernels/dnnl_pool.h"

#include "runtime/kernels/dnnl_context.h"

#include <algorithm>
#include <string_view>

namespace bg {

namespace {

// oneDNN pools a plain NCHW tensor only with its scalar simple_nchw loops (the classifier's
// [1,200,2,96] max pool took 0.39 ms of a 2.2 ms run, AVX2 EPYC); its jit pooling reads NHWC. So
// x is reordered to NHWC, pooled there and reordered back. Max pooling picks one of the window's
// values, so the output holds the same bytes in either layout. False where oneDNN has no jit
// implementation for the shape in NHWC: the caller pools in NCHW.
bool maxPoolChannelsLast(const dnnl::memory::dims& src, const dnnl::memory::dims& dst, const dnnl::memory::dims& strides,
                         const dnnl::memory::dims& kernel, const dnnl::memory::dims& dilation,
                         const dnnl::memory::dims& padL, const dnnl::memory::dims& padR, const float* x, float* y)
{
    using dnnl::memory;
    try {
        const memory::desc srcMd(src, memory::data_type::f32, memory::format_tag::nhwc);
        const memory::desc dstMd(dst, memory::data_type::f32, memory::format_tag::nhwc);
        dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, srcMd,
                                            dstMd, strides, kernel, dilation, padL, padR);
        dnnl::pooling_v2_forward::primitive_desc pd(desc, dnnlEngine());
        if (!std::string_view(pd.impl_info_str()).starts_with("jit"))
            return false;
        memory srcNhwc(srcMd, dnnlEngine()), dstNhwc(dstMd, dnnlEngine());
        dnnlReorder(memory(dnnlPlainDesc(src), dnnlEngine(), const_cast<float*>(x)), srcNhwc);
        dnnlExecute(dnnl::pooling_v2_forward(pd), {{DNNL_ARG_SRC, srcNhwc}, {DNNL_ARG_DST, dstNhwc}});
        dnnlReorder(dstNhwc, memory(dnnlPlainDesc(dst), dnnlEngine(), y));
        return true;
    } catch (const dnnl::error&) {
        return false;  // no NHWC implementation: the NCHW one may still have one
    }
}

} // namespace

bool dnnlPool(const PoolShape& s, PoolKind kind, const float* x, float* y)
{
    using dnnl::memory;
    const WindowGeometry& g = s.geo;
    memory::dims src{s.batch, s.channels}, dst{s.batch, s.channels};
    memory::dims strides, kernel, dilation, padL, padR;
    for (size_t i = 0; i < g.rank(); ++i) {
        src.push_back(g.in[i]);
        dst.push_back(g.out[i]);
        strides.push_back(g.strides[i]);
        kernel.push_back(g.kernel[i]);
        dilation.push_back(g.dilations[i] - 1);  // oneDNN counts the holes
        padL.push_back(g.padBegin[i]);
        const int64_t needed = (g.out[i] - 1) * g.strides[i] + g.extent(i) - g.in[i] - g.padBegin[i];
        // ceil_mode's overhang past the end pad would count in oneDNN's include-padding divisor.
        if (kind == PoolKind::AverageIncludePad && needed > g.padEnd[i])
            return false;
        padR.push_back(std::max(g.padEnd[i], needed));
    }
    const dnnl::algorithm alg = kind == PoolKind::Max ? dnnl::algorithm::pooling_max
        : kind == PoolKind::AverageIncludePad          ? dnnl::algorithm::pooling_avg_include_padding
                                                       : dnnl::algorithm::pooling_avg_exclude_padding;
    // Tried first, so that the NCHW primitive descriptor is made only when it runs.
    if (kind == PoolKind::Max && g.rank() == 2 && maxPoolChannelsLast(src, dst, strides, kernel, dilation, padL, padR, x, y))
        return true;
    try {
        const memory::desc srcMd = dnnlPlainDesc(src);
        const memory::desc dstMd = dnnlPlainDesc(dst);
        dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, alg, srcMd, dstMd, strides, kernel,
                                            dilation, padL, padR);
        dnnl::pooling_v2_forward::primitive_desc pd(desc, dnnlEngine());
        memory srcMem(srcMd, dnnlEngine(), const_cast<float*>(x));
        memory dstMem(dstMd, dnnlEngine(), y);
        dnnlExecute(dnnl::pooling_v2_forward(pd), {{DNNL_ARG_SRC, srcMem}, {DNNL_ARG_DST, dstMem}});
        return true;
    } catch (const dnnl::error&) {
        return false;
    }
}

} // namespace bg
