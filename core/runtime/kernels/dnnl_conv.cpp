#include "runtime/kernels/dnnl_conv.h"

#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/dnnl_threads.h"
#include "runtime/kernels/dnnl_weight_cache.h"
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <type_traits>

namespace bg {

namespace {

using dnnl::memory;

struct DnnlConvDims {
    memory::dims src, weights, bias, dst, strides, dilates, padL, padR;
    memory::desc weightsUser;  // ONNX weight layout described by strides
    // The caller's activations when they are a strided view of a larger tensor (a strip of a
    // ConvTranspose); plain NCHW of `src`/`dst` when empty.
    memory::desc srcUser, dstUser;
};

memory::desc userDesc(const memory::desc& view, const memory::dims& dims)
{
    return view.is_zero() ? dnnlPlainDesc(dims) : view;
}

memory::dims concat(std::initializer_list<int64_t> head, const std::vector<int64_t>& tail)
{
    memory::dims d(head.begin(), head.end());
    d.insert(d.end(), tail.begin(), tail.end());
    return d;
}

memory::desc anyDesc(const memory::dims& dims) { return memory::desc(dims, memory::data_type::f32, memory::format_tag::any); }

// An activation reorder (NCHW to oneDNN's NHWC or blocked layout and back) is a transpose, bound by
// memory: small ones stay on one thread, where a second adds only a barrier; big ones (the
// detector's 320x320 maps, 40 % of its oneDNN time on one thread) use the team as the element-wise
// loops do (parallel_ranges.h), counted as MAC-equivalents for DnnlThreadScope.
int64_t reorderWork(const memory& m)
{
    const int64_t elements = static_cast<int64_t>(m.get_desc().get_size() / sizeof(float));
    return elements >= parallelElements() ? kDnnlParallelMacs : 0;
}

void bindPostOpArgs(const ConvPostOps* fused, size_t rank, std::vector<float>& values,
                    std::unordered_map<int, memory>& args);

// Runs `pd`'s primitive on plain user buffers, reordering to and from the layouts oneDNN chose.
template <class PrimitiveDesc, class Primitive>
void runWithReorders(const PrimitiveDesc& pd, const Primitive& prim, const DnnlConvDims& d, const float* x,
                     const float* w, const float* bias, float* y, const ConvPostOps* fused = nullptr,
                     ConvHandoff* handoff = nullptr)
{
    dnnl::engine& eng = dnnlEngine();
    memory userW(d.weightsUser, eng, const_cast<float*>(w));
    memory src;
    if (handoff && hasMemory(handoff->src)) {
        const DnnlThreadScope threads(reorderWork(handoff->src));
        src = dnnlToLayout(handoff->src, pd.src_desc());  // a no-op when both Convs chose one layout
    } else {
        memory userSrc(userDesc(d.srcUser, d.src), eng, const_cast<float*>(x));
        const DnnlThreadScope threads(reorderWork(userSrc));
        src = dnnlToLayout(userSrc, pd.src_desc());
    }
    if (handoff && handoff->keepDst) {
        memory dst(pd.dst_desc(), eng);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, dnnlCachedWeights(userW, pd.weights_desc(), handoff ? handoff->weightsOwner : 0)},
                                             {DNNL_ARG_DST, dst}};
        if (bias)
            args.emplace(DNNL_ARG_BIAS, memory(dnnlPlainDesc(d.bias), eng, const_cast<float*>(bias)));
        std::vector<float> scalars;
        bindPostOpArgs(fused, d.dst.size(), scalars, args);
        dnnlExecute(prim, args);
        handoff->dst = dst;
        return;
    }
    memory userDst(userDesc(d.dstUser, d.dst), eng, y);
    memory wts = dnnlCachedWeights(userW, pd.weights_desc(), handoff ? handoff->weightsOwner : 0);
    memory dst = pd.dst_desc() == userDst.get_desc() ? userDst : memory(pd.dst_desc(), eng);
    // oneDNN 2.6's int8 deconvolution leaves outputs no tap reaches unwritten (docs/SPEC_NOTES.md);
    // f32 tests show no such gap, but a zeroed buffer costs little and rules it out. (The user
    // buffer `y` arrives zero-filled.) A convolution writes every output: no memset there.
    constexpr bool deconvolution = std::is_same_v<Primitive, dnnl::deconvolution_forward>;
    if (deconvolution && dst != userDst)
        std::memset(dst.get_data_handle(), 0, dst.get_desc().get_size());
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wts}, {DNNL_ARG_DST, dst}};
    if (bias)
        args.emplace(DNNL_ARG_BIAS, memory(dnnlPlainDesc(d.bias), eng, const_cast<float*>(bias)));
    std::vector<float> scalars;
    bindPostOpArgs(fused, d.dst.size(), scalars, args);
    dnnlExecute(prim, args);
    if (dst != userDst) {
        const DnnlThreadScope threads(reorderWork(userDst));
        dnnlReorder(dst, userDst);
    }
}

// Multiply-adds of the (transposed) convolution: every output of one group reads C/g x kernel inputs
// (for ConvTranspose the roles of input and output swap, which gives the same count from the input).
int64_t convMacs(const ConvShape& s, bool transpose)
{
    int64_t kernel = 1;
    for (int64_t k : s.geo.kernel)
        kernel *= k;
    int64_t spatial = 1;
    for (int64_t v : transpose ? s.geo.in : s.geo.out)
        spatial *= v;
    const int64_t perPoint = transpose ? s.outChannels / s.group : s.inChannels / s.group;
    const int64_t channels = transpose ? s.inChannels : s.outChannels;
    return s.batch * channels * spatial * perPoint * kernel;
}

// Rows of input per strip when a ConvTranspose's output in oneDNN's layout would be a large second
// copy of the output (the detector's first 2x2/2 ConvTranspose: 13 MB of channel-blocked output
// beside the 10 MB plain one, the float run's peak); 0 to run it whole. Only where every output
// row comes from one input row (kernel = stride along H, no dilation, padding or output padding),
// so a strip needs no halo and gives the same sums.
int64_t transposeStripRows(const ConvShape& s, int64_t layoutBytes, bool writesPlain)
{
    constexpr int64_t kStripBytes = int64_t{2} << 20;
    const WindowGeometry& g = s.geo;
    if (writesPlain || layoutBytes <= 2 * kStripBytes || g.rank() != 2 || s.batch != 1)
        return 0;
    if (g.kernel[0] != g.strides[0] || g.dilations[0] != 1 || g.padBegin[0] != 0 || g.padEnd[0] != 0
        || g.outputPadding[0] != 0 || g.out[0] != g.in[0] * g.strides[0])
        return 0;
    return std::max<int64_t>(1, g.in[0] * kStripBytes / layoutBytes);
}

DnnlConvDims commonDims(const ConvShape& s)
{
    const WindowGeometry& g = s.geo;
    DnnlConvDims d;
    d.src = concat({s.batch, s.inChannels}, g.in);
    d.dst = concat({s.batch, s.outChannels}, g.out);
    d.bias = {s.outChannels};
    d.strides.assign(g.strides.begin(), g.strides.end());
    for (size_t i = 0; i < g.rank(); ++i) {
        d.dilates.push_back(g.dilations[i] - 1);  // oneDNN counts the holes, ONNX the step
        d.padL.push_back(g.padBegin[i]);
    }
    return d;
}

// A scalar operand of a binary post-op: all ones in the destination's rank, broadcast everywhere.
memory::desc scalarDesc(size_t rank) { return dnnlPlainDesc(memory::dims(rank, 1)); }

// A per-channel operand: [1, C, 1, ...], broadcast over the batch and the spatial axes.
memory::desc channelDesc(size_t rank, int64_t channels)
{
    memory::dims dims(rank, 1);
    dims[1] = channels;
    return dnnlPlainDesc(dims);
}

// The operand of a binary post-op: the scalar, or one value per channel.
memory::desc operandDesc(const ConvPostOp& op, size_t rank)
{
    const bool perChannel = op.kind == ConvPostOpKind::ChannelMul || op.kind == ConvPostOpKind::ChannelAdd;
    return perChannel ? channelDesc(rank, static_cast<int64_t>(op.channel.size())) : scalarDesc(rank);
}

dnnl::algorithm binaryAlgorithm(ConvPostOpKind kind)
{
    switch (kind) {
    case ConvPostOpKind::Mul:
    case ConvPostOpKind::ChannelMul: return dnnl::algorithm::binary_mul;
    case ConvPostOpKind::Add:
    case ConvPostOpKind::ChannelAdd: return dnnl::algorithm::binary_add;
    case ConvPostOpKind::Sub: return dnnl::algorithm::binary_sub;
    default: return dnnl::algorithm::binary_div;
    }
}

// The post-ops of the fused operators, in order: activations as eltwise post-ops (oneDNN 2.6: relu,
// clip, hardswish, logistic; HardSigmoid as linear then clip to [0, 1]), scalar arithmetic as binary
// post-ops whose operand runPostOpArgs binds at execution.
dnnl::primitive_attr postOpAttr(const ConvPostOps* fused, size_t rank)
{
    dnnl::primitive_attr attr;
    // These primitives are cached (convPrimitive) and run from any thread: oneDNN 2.6's library
    // scratchpad belongs to the thread that created the primitive, so two threads running primitives
    // made on one would share it. The caller gives each execution its thread's own (dnnlExecute).
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    if (!fused || fused->empty())
        return attr;
    using dnnl::algorithm;
    dnnl::post_ops ops;
    for (const ConvPostOp& act : *fused) {
        switch (act.kind) {
        case ConvPostOpKind::Relu: ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f); break;
        case ConvPostOpKind::Clip: ops.append_eltwise(1.0f, algorithm::eltwise_clip, act.alpha, act.beta); break;
        case ConvPostOpKind::HardSwish: ops.append_eltwise(1.0f, algorithm::eltwise_hardswish, 0.0f, 0.0f); break;
        case ConvPostOpKind::Sigmoid: ops.append_eltwise(1.0f, algorithm::eltwise_logistic, 0.0f, 0.0f); break;
        case ConvPostOpKind::HardSigmoid:
            ops.append_eltwise(1.0f, algorithm::eltwise_linear, act.alpha, act.beta);
            ops.append_eltwise(1.0f, algorithm::eltwise_clip, 0.0f, 1.0f);
            break;
        case ConvPostOpKind::Mul:
        case ConvPostOpKind::Add:
        case ConvPostOpKind::Sub:
        case ConvPostOpKind::Div:
        case ConvPostOpKind::ChannelMul:
        case ConvPostOpKind::ChannelAdd: ops.append_binary(binaryAlgorithm(act.kind), operandDesc(act, rank)); break;
        }
    }
    attr.set_post_ops(ops);
    return attr;
}

// The scalar operands of the binary post-ops, as execution arguments; `values` keeps them alive
// (and must not reallocate: reserved here).
void bindPostOpArgs(const ConvPostOps* fused, size_t rank, std::vector<float>& values,
                    std::unordered_map<int, memory>& args)
{
    if (!fused)
        return;
    values.reserve(fused->size());
    int index = 0;  // the post-op's position in the oneDNN chain (HardSigmoid takes two)
    for (const ConvPostOp& act : *fused) {
        if (!act.channel.empty()) {
            args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1,
                         memory(operandDesc(act, rank), dnnlEngine(), const_cast<float*>(act.channel.data())));
        } else if (!isActivation(act.kind)) {
            values.push_back(act.alpha);
            args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1,
                         memory(scalarDesc(rank), dnnlEngine(), &values.back()));
        }
        index += act.kind == ConvPostOpKind::HardSigmoid ? 2 : 1;
    }
}

// One convolution configuration made ready to run: the primitive descriptor (its layouts) and the
// primitive. Creating the descriptor walks oneDNN's implementation list and the primitive JIT-compiles
// a kernel (oneDNN's own cache makes the second cheap, not the first): both once per configuration.
struct ConvPrimitive {
    dnnl::convolution_forward::primitive_desc pd;
    dnnl::convolution_forward prim;
};

struct ConvPrimitiveCache {
    std::mutex mutex;
    std::map<std::vector<int64_t>, std::shared_ptr<const ConvPrimitive>> entries;
};

// Everything the primitive depends on, as one key.
std::vector<int64_t> convKey(const DnnlConvDims& d, bool bias, const ConvPostOps* fused)
{
    std::vector<int64_t> key;
    for (const memory::dims* v : {&d.src, &d.weights, &d.dst, &d.strides, &d.dilates, &d.padL, &d.padR}) {
        key.push_back(static_cast<int64_t>(v->size()));
        key.insert(key.end(), v->begin(), v->end());
    }
    key.push_back(bias ? 1 : 0);
    key.push_back(fused ? static_cast<int64_t>(fused->size()) : 0);
    if (fused)
        for (const ConvPostOp& act : *fused) {
            key.push_back(static_cast<int64_t>(act.kind));
            key.push_back(std::bit_cast<int32_t>(act.alpha));
            key.push_back(std::bit_cast<int32_t>(act.beta));
            key.push_back(static_cast<int64_t>(act.channel.size()));  // the values are bound at execution
        }
    return key;
}

// oneDNN 2.6 gives f32 2-D convolutions on AVX-512 to brgconv, which works in NHWC. The runtime's
// tensors are NCHW, so each such layer then pays two transposes (NCHW -> NHWC -> NCHW, "jit:uni"
// reorders): 31 ms of the detector's 640x640 run on a 2-core AVX-512 EPYC, against 5 ms for the
// channel-blocked reorders (nChw16c / nChw8c) the other implementations use, and brgconv itself was
// no faster there. Such a layer asks for a channel-blocked layout instead, 16 then 8 channels per
// block, the first that a jit kernel (not oneDNN's reference loops) implements; else it keeps NHWC.
std::optional<dnnl::convolution_forward::primitive_desc> channelBlockedInstead(
    const dnnl::convolution_forward::primitive_desc& pd, const DnnlConvDims& d, const memory::desc& biasMd,
    const ConvPostOps* act)
{
    if (d.src.size() != 4 || !(pd.src_desc() == memory::desc(d.src, memory::data_type::f32, memory::format_tag::acdb)))
        return std::nullopt;
    for (const memory::format_tag tag : {memory::format_tag::aBcd16b, memory::format_tag::aBcd8b}) {
        try {
            const dnnl::convolution_forward::desc desc(
                dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                memory::desc(d.src, memory::data_type::f32, tag), anyDesc(d.weights), biasMd,
                memory::desc(d.dst, memory::data_type::f32, tag), d.strides, d.dilates, d.padL, d.padR);
            dnnl::convolution_forward::primitive_desc blocked(desc, postOpAttr(act, d.dst.size()), dnnlEngine());
            if (std::string_view(blocked.impl_info_str()).substr(0, 3) != "ref")
                return blocked;
        } catch (const dnnl::error&) {
            // no implementation for this layout: try the next
        }
    }
    return std::nullopt;
}

std::shared_ptr<const ConvPrimitive> convPrimitive(const DnnlConvDims& d, bool bias, const ConvPostOps* act)
{
    static ConvPrimitiveCache cache;
    const std::vector<int64_t> key = convKey(d, bias, act);
    {
        std::lock_guard<std::mutex> lock(cache.mutex);
        if (auto it = cache.entries.find(key); it != cache.entries.end())
            return it->second;
    }
    const memory::desc biasMd = bias ? dnnlPlainDesc(d.bias) : memory::desc();
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                         anyDesc(d.src), anyDesc(d.weights), biasMd, anyDesc(d.dst), d.strides,
                                         d.dilates, d.padL, d.padR);
    dnnl::convolution_forward::primitive_desc pd(desc, postOpAttr(act, d.dst.size()), dnnlEngine());
    if (auto blocked = channelBlockedInstead(pd, d, biasMd, act))
        pd = *blocked;
    auto entry = std::make_shared<const ConvPrimitive>(ConvPrimitive{pd, dnnl::convolution_forward(pd)});
    std::lock_guard<std::mutex> lock(cache.mutex);
    constexpr size_t kMaxEntries = 4096;  // a long session over many models and input sizes
    if (cache.entries.size() >= kMaxEntries)
        cache.entries.clear();
    cache.entries.emplace(key, entry);
    return entry;
}

} // namespace

bool hasMemory(const dnnl::memory& m) { return m.get(true) != nullptr; }

std::vector<int64_t> dnnlDims(const dnnl::memory& m) { return m.get_desc().dims(); }

std::vector<float> dnnlToPlainValues(const dnnl::memory& m)
{
    const std::vector<int64_t> dims = dnnlDims(m);
    int64_t n = 1;
    for (int64_t v : dims)
        n *= v;
    std::vector<float> values(static_cast<size_t>(n));
    memory plain(dnnlPlainDesc(dims), dnnlEngine(), values.data());
    memory src = m;
    const DnnlThreadScope threads(reorderWork(plain));
    dnnlReorder(src, plain);
    return values;
}

bool dnnlConvolution(const ConvShape& s, const float* x, const float* w, const float* bias, float* y,
                     const ConvPostOps* act)
{
    ConvHandoff none;
    return dnnlConvolutionHandoff(s, none, x, w, bias, y, act);
}

struct DnnlConvPlan {
    DnnlConvDims dims;
    std::shared_ptr<const ConvPrimitive> primitive;
    int64_t macs = 0;
};

std::shared_ptr<const DnnlConvPlan> dnnlConvPlan(const ConvShape& s, bool bias, const ConvPostOps* act)
{
    try {
        auto plan = std::make_shared<DnnlConvPlan>();
        const WindowGeometry& g = s.geo;
        DnnlConvDims& d = plan->dims;
        d = commonDims(s);
        for (size_t i = 0; i < g.rank(); ++i) {
            // The end pad oneDNN expects is the one the last window reaches (never below the given pad,
            // which ONNX allows to exceed it).
            const int64_t needed = (g.out[i] - 1) * g.strides[i] + g.extent(i) - g.in[i] - g.padBegin[i];
            d.padR.push_back(std::max(g.padEnd[i], needed));
        }
        // ONNX weights [M, C/g, k...] are row-major [g, M/g, C/g, k...] when grouped.
        d.weights = s.group > 1 ? concat({s.group, s.outChannels / s.group, s.inChannels / s.group}, g.kernel)
                                : concat({s.outChannels, s.inChannels}, g.kernel);
        d.weightsUser = dnnlPlainDesc(d.weights);
        plan->macs = convMacs(s, false);
        const DnnlThreadScope threads(plan->macs);  // the primitive is made for the team it runs on
        plan->primitive = convPrimitive(d, bias, act);
        return plan;
    } catch (const dnnl::error&) {
        return nullptr;
    }
}

bool dnnlConvolutionPlanned(const DnnlConvPlan& plan, ConvHandoff& h, const float* x, const float* w,
                            const float* bias, float* y, const ConvPostOps* act)
{
    const DnnlThreadScope threads(plan.macs);
    try {
        runWithReorders(plan.primitive->pd, plan.primitive->prim, plan.dims, x, w, bias, y, act, &h);
        return true;
    } catch (const dnnl::error&) {
        return false;
    }
}

bool dnnlConvolutionHandoff(const ConvShape& s, ConvHandoff& h, const float* x, const float* w, const float* bias,
                            float* y, const ConvPostOps* act)
{
    const std::shared_ptr<const DnnlConvPlan> plan = dnnlConvPlan(s, bias != nullptr, act);
    return plan && dnnlConvolutionPlanned(*plan, h, x, w, bias, y, act);
}

bool dnnlConvTranspose(const ConvShape& s, const float* x, const float* w, const float* bias, float* y)
{
    const DnnlThreadScope threads(convMacs(s, true));
    try {
        const WindowGeometry& g = s.geo;
        DnnlConvDims d = commonDims(s);
        d.padR.assign(g.padEnd.begin(), g.padEnd.end());
        for (int64_t p : d.padR)
            if (p < 0)
                return false;  // output_shape beyond the full result: the reference kernel handles it
        const int64_t cg = s.inChannels / s.group;
        const int64_t mg = s.outChannels / s.group;
        // oneDNN wants [g, M/g, C/g, k...]; ONNX stores W as [g, C/g, M/g, k...]: describe it by strides.
        int64_t k = 1;
        for (int64_t v : g.kernel)
            k *= v;
        memory::dims strides;
        if (s.group > 1) {
            d.weights = concat({s.group, mg, cg}, g.kernel);
            strides = {cg * mg * k, k, mg * k};
        } else {
            d.weights = concat({mg, cg}, g.kernel);
            strides = {k, mg * k};
        }
        // Kernel axes stay row-major.
        std::vector<int64_t> kstr(g.kernel.size());
        int64_t acc = 1;
        for (size_t i = g.kernel.size(); i-- > 0;) {
            kstr[i] = acc;
            acc *= g.kernel[i];
        }
        strides.insert(strides.end(), kstr.begin(), kstr.end());
        d.weightsUser = memory::desc(d.weights, memory::data_type::f32, strides);
        const memory::desc biasMd = bias ? dnnlPlainDesc(d.bias) : memory::desc();
        auto makePd = [&](const DnnlConvDims& dims, const memory::desc& dst) {
            const dnnl::deconvolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                                         dnnl::algorithm::deconvolution_direct, anyDesc(dims.src),
                                                         anyDesc(dims.weights), biasMd, dst, dims.strides, dims.dilates,
                                                         dims.padL, dims.padR);
            return dnnl::deconvolution_forward::primitive_desc(desc, dnnlEngine());
        };
        dnnl::deconvolution_forward::primitive_desc pd = makePd(d, anyDesc(d.dst));
        // A few output channels in a channel-blocked layout (16 per block with AVX-512) make a buffer
        // many times the output: the detector's last ConvTranspose (1 channel at 640x640) had 26 MB
        // of padded copies, the run's peak. Written straight into the plain output there instead.
        const memory::desc plain = dnnlPlainDesc(d.dst);
        if (pd.dst_desc().get_size() > 2 * plain.get_size())
            pd = makePd(d, plain);
        const int64_t rows = transposeStripRows(s, static_cast<int64_t>(pd.dst_desc().get_size()), pd.dst_desc() == plain);
        if (rows == 0) {
            runWithReorders(pd, dnnl::deconvolution_forward(pd), d, x, w, bias, y);
            return true;
        }
        // Strips of input rows, each writing its own rows of the output through strided views.
        const int64_t inRows = g.in[0], outRows = g.out[0], width = g.in[1], outWidth = g.out[1];
        const int64_t stride = g.strides[0];
        for (int64_t r0 = 0; r0 < inRows; r0 += rows) {
            const int64_t n = std::min(rows, inRows - r0);
            DnnlConvDims strip = d;
            strip.src[2] = n;
            strip.dst[2] = n * stride;
            strip.srcUser = memory::desc(strip.src, memory::data_type::f32,
                                         memory::dims{s.inChannels * inRows * width, inRows * width, width, 1});
            strip.dstUser = memory::desc(strip.dst, memory::data_type::f32,
                                         memory::dims{s.outChannels * outRows * outWidth, outRows * outWidth, outWidth, 1});
            const auto stripPd = makePd(strip, anyDesc(strip.dst));
            runWithReorders(stripPd, dnnl::deconvolution_forward(stripPd), strip, x + r0 * width, w, bias,
                            y + r0 * stride * outWidth);
        }
        return true;
    } catch (const dnnl::error&) {
        return false;
    }
}

} // namespace bg
