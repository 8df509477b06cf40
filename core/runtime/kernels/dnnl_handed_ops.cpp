#include "runtime/kernels/dnnl_handed_ops.h"

#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/elementwise_formulas.h"
#include "runtime/kernels/parallel_ranges.h"

#include <array>

namespace bg {

namespace {

// Channel blocks up to this many lanes (oneDNN's f32 layouts use 8 and 16).
constexpr int64_t kMaxBlock = 64;

// Runs f(n, channelBlock) for every block of every image on the thread team.
template <class F> void forEachBlock(const HandedGeometry& g, F&& f)
{
    const int64_t blocks = g.paddedC / g.block;
    parallelRanges(g.n * blocks, g.h * g.w * g.block, [&](int64_t begin, int64_t end) {
        for (int64_t item = begin; item < end; ++item)
            f(item / blocks, item % blocks);
    });
}

template <class Op>
void channelOperand(const HandedGeometry& g, const float* x, float* y, const std::vector<float>& table, bool handedFirst,
                    Op op)
{
    forEachBlock(g, [&](int64_t n, int64_t cb) {
        const float* t = table.data() + n * g.paddedC + cb * g.block;
        for (int64_t h = 0; h < g.h; ++h)
            for (int64_t w = 0; w < g.w; ++w) {
                const int64_t at = g.offset0 + n * g.sN + cb * g.sBlock + h * g.sH + w * g.sW;
                for (int64_t lane = 0; lane < g.block; ++lane)
                    y[at + lane] = handedFirst ? op(x[at + lane], t[lane]) : op(t[lane], x[at + lane]);
            }
    });
}

template <class Op> void sameLayout(const float* a, const float* b, float* y, int64_t count, Op op)
{
    parallelRanges(count, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            y[i] = op(a[i], b[i]);
    });
}

// The plain operand as one value per (image, padded channel), zero on the padding channels;
// nothing when it broadcasts over more than the batch and channels.
std::optional<std::vector<float>> channelTable(const HandedGeometry& g, const Tensor& p)
{
    if (!p.isFloat() || p.rank() > 4)
        return std::nullopt;
    std::array<int64_t, 4> d{1, 1, 1, 1};
    for (int k = 0; k < p.rank(); ++k)
        d[static_cast<size_t>(4 - p.rank() + k)] = p.dim(k);
    if (d[2] != 1 || d[3] != 1 || (d[0] != 1 && d[0] != g.n) || (d[1] != 1 && d[1] != g.c))
        return std::nullopt;
    const std::span<const float> v = p.floats();
    std::vector<float> table(static_cast<size_t>(g.n * g.paddedC), 0.0f);
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t c = 0; c < g.c; ++c)
            table[static_cast<size_t>(n * g.paddedC + c)] =
                v[static_cast<size_t>((d[0] == 1 ? 0 : n) * d[1] + (d[1] == 1 ? 0 : c))];
    return table;
}

// The same from a handed [N or 1, C or 1, 1, 1] operand, read in its layout.
std::optional<std::vector<float>> handedChannelTable(const HandedGeometry& g, const dnnl::memory& m)
{
    const std::optional<HandedGeometry> s = handedGeometry(m.get_desc());
    if (!s || s->h != 1 || s->w != 1 || (s->n != 1 && s->n != g.n) || (s->c != 1 && s->c != g.c))
        return std::nullopt;
    const float* v = static_cast<const float*>(m.get_data_handle());
    std::vector<float> table(static_cast<size_t>(g.n * g.paddedC), 0.0f);
    for (int64_t n = 0; n < g.n; ++n)
        for (int64_t c = 0; c < g.c; ++c) {
            const int64_t sn = s->n == 1 ? 0 : n, sc = s->c == 1 ? 0 : c;
            table[static_cast<size_t>(n * g.paddedC + c)] = v[s->offset0 + sn * s->sN + sc / s->block * s->sBlock + sc % s->block];
        }
    return table;
}

dnnl::memory resultMemory(const HandedOperand& reuse, const dnnl::memory::desc& md)
{
    return reuse.reusable ? reuse.mem : dnnl::memory(md, dnnlEngine());
}

template <class Op>
std::optional<dnnl::memory> binaryWith(Op op, const HandedOperand& a, const HandedOperand& b)
{
    const bool aHanded = a.mem.get(true) != nullptr, bHanded = b.mem.get(true) != nullptr;
    if (aHanded && bHanded && !(a.mem.get_desc() == b.mem.get_desc())) {
        // A squeeze-and-excitation Mul: the feature map times the [N, C, 1, 1] scales, both from Convs.
        const std::optional<HandedGeometry> ga = handedGeometry(a.mem.get_desc()), gb = handedGeometry(b.mem.get_desc());
        if (!ga || !gb)
            return std::nullopt;
        const bool bIsScales = gb->h == 1 && gb->w == 1;
        const HandedOperand& x = bIsScales ? a : b;
        const HandedGeometry& gx = bIsScales ? *ga : *gb;
        const std::optional<std::vector<float>> table = handedChannelTable(gx, bIsScales ? b.mem : a.mem);
        if (!table)
            return std::nullopt;
        dnnl::memory y = resultMemory(x, x.mem.get_desc());
        channelOperand(gx, static_cast<const float*>(x.mem.get_data_handle()), static_cast<float*>(y.get_data_handle()),
                       *table, bIsScales, op);
        return y;
    }
    if (aHanded && bHanded) {
        const dnnl::memory::desc md = a.mem.get_desc();
        const std::optional<HandedGeometry> g = handedGeometry(md);
        if (!g || g->offset0 != 0)
            return std::nullopt;
        // One layout: element i of each buffer is the same (n, c, h, w), padding included.
        dnnl::memory y = a.reusable ? resultMemory(a, md) : resultMemory(b, md);
        sameLayout(static_cast<const float*>(a.mem.get_data_handle()), static_cast<const float*>(b.mem.get_data_handle()),
                   static_cast<float*>(y.get_data_handle()), static_cast<int64_t>(md.get_size() / sizeof(float)), op);
        return y;
    }
    const HandedOperand& x = aHanded ? a : b;
    const HandedOperand& other = aHanded ? b : a;
    if (!x.mem.get(true) || !other.plain)
        return std::nullopt;
    const dnnl::memory::desc md = x.mem.get_desc();
    const std::optional<HandedGeometry> g = handedGeometry(md);
    if (!g)
        return std::nullopt;
    const std::optional<std::vector<float>> table = channelTable(*g, *other.plain);
    if (!table)
        return std::nullopt;
    dnnl::memory y = resultMemory(x, md);
    channelOperand(*g, static_cast<const float*>(x.mem.get_data_handle()), static_cast<float*>(y.get_data_handle()),
                   *table, aHanded, op);
    return y;
}

} // namespace

std::optional<HandedGeometry> handedGeometry(const dnnl::memory::desc& md)
{
    const dnnl_memory_desc_t& d = md.data;
    if (d.ndims != 4 || d.data_type != dnnl_f32 || d.format_kind != dnnl_blocked || d.extra.flags != 0)
        return std::nullopt;
    const dnnl_blocking_desc_t& b = d.format_desc.blocking;
    HandedGeometry g;
    if (b.inner_nblks == 1 && b.inner_idxs[0] == 1)
        g.block = b.inner_blks[0];
    else if (b.inner_nblks != 0)
        return std::nullopt;
    for (int k = 0; k < 4; ++k)
        if (d.padded_offsets[k] != 0 || (k != 1 && d.padded_dims[k] != d.dims[k]))
            return std::nullopt;
    g.n = d.dims[0];
    g.c = d.dims[1];
    g.h = d.dims[2];
    g.w = d.dims[3];
    g.paddedC = d.padded_dims[1];
    if (g.block < 1 || g.block > kMaxBlock || g.paddedC % g.block != 0 || g.paddedC < g.c || (g.block == 1 && g.paddedC != g.c))
        return std::nullopt;
    g.offset0 = d.offset0;
    g.sN = b.strides[0];
    g.sBlock = b.strides[1];
    g.sH = b.strides[2];
    g.sW = b.strides[3];
    return g;
}

std::optional<Tensor> handedGlobalAveragePool(const dnnl::memory& x, int32_t elemType)
{
    const std::optional<HandedGeometry> geometry = handedGeometry(x.get_desc());
    if (!geometry)
        return std::nullopt;
    const HandedGeometry& g = *geometry;
    const float* data = static_cast<const float*>(x.get_data_handle());
    const int64_t size = g.h * g.w;
    std::vector<float> y(static_cast<size_t>(g.n * g.c));
    forEachBlock(g, [&](int64_t n, int64_t cb) {
        // interleavedSum for each lane at once: element p of a plane goes to partial p mod 8.
        std::array<std::array<double, kMaxBlock>, 8> part{};
        int64_t p = 0;
        for (int64_t h = 0; h < g.h; ++h)
            for (int64_t w = 0; w < g.w; ++w, ++p) {
                const float* px = data + g.offset0 + n * g.sN + cb * g.sBlock + h * g.sH + w * g.sW;
                std::array<double, kMaxBlock>& acc = part[static_cast<size_t>(p & 7)];
                for (int64_t lane = 0; lane < g.block; ++lane)
                    acc[static_cast<size_t>(lane)] += static_cast<double>(px[lane]);
            }
        for (int64_t lane = 0; lane < g.block; ++lane) {
            const int64_t c = cb * g.block + lane;
            if (c >= g.c)
                break;
            const auto s = [&](int k) { return part[static_cast<size_t>(k)][static_cast<size_t>(lane)]; };
            const double sum = ((s(0) + s(4)) + (s(1) + s(5))) + ((s(2) + s(6)) + (s(3) + s(7)));
            y[static_cast<size_t>(n * g.c + c)] = size ? static_cast<float>(sum / double(size)) : 0.0f;
        }
    });
    Tensor out(Shape{g.n, g.c, 1, 1}, std::move(y));
    out.setElemType(elemType);
    return out;
}

std::optional<dnnl::memory> handedBinary(HandedBinaryOp op, const HandedOperand& a, const HandedOperand& b)
{
    if (op == HandedBinaryOp::Add)
        return binaryWith([](float u, float v) { return addFloat(u, v); }, a, b);
    return binaryWith([](float u, float v) { return mulFloat(u, v); }, a, b);
}

} // namespace bg
