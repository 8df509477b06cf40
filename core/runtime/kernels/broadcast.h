#pragma once
// Numpy multidirectional broadcasting: the output shape of several operands, and a row-major walk
// over the output that hands each element's flat offsets into every operand. Dims are aligned at
// the right; a dim of 1 (or a missing leading dim) repeats.
#include "runtime/kernel_context.h"

#include <array>
#include <cstdint>
#include <vector>

namespace bg {

// Broadcast shape of all operands; fails (ShapeMismatch) naming the node when two dims differ and
// neither is 1. The result's size is checked against the kernel tensor limit.
Shape broadcastShapes(const KernelContext& ctx, const std::vector<Shape>& shapes);

// Element strides of `in` when read as `out` (out.size() entries, 0 on repeated dims). `in` must
// broadcast to `out`.
std::vector<int64_t> broadcastStrides(const Shape& in, const Shape& out);

// True when `from` broadcasts unidirectionally to `to` (the result shape is `to`).
bool broadcastsTo(const Shape& from, const Shape& to);

// Calls f(outIndex, offsets) for every element of `out` in row-major order; offsets[k] is the flat
// index into operand k, whose broadcast strides are strides[k].
template <size_t N, class F>
void forEachBroadcast(const Shape& out, const std::array<std::vector<int64_t>, N>& strides, F&& f)
{
    int64_t total = 1;
    for (int64_t d : out)
        total *= d;
    if (total == 0)
        return;
    std::array<int64_t, N> base{};
    const size_t rank = out.size();
    if (rank == 0) {
        f(int64_t{0}, base);
        return;
    }
    const int64_t inner = out[rank - 1];
    std::array<int64_t, N> innerStride{};
    for (size_t k = 0; k < N; ++k)
        innerStride[k] = strides[k][rank - 1];
    std::vector<int64_t> idx(rank, 0);
    for (int64_t o = 0; o < total; o += inner) {
        std::array<int64_t, N> off = base;
        for (int64_t j = 0; j < inner; ++j) {
            f(o + j, off);
            for (size_t k = 0; k < N; ++k)
                off[k] += innerStride[k];
        }
        // Odometer over the outer dims.
        for (int d = static_cast<int>(rank) - 2; d >= 0; --d) {
            const auto du = static_cast<size_t>(d);
            ++idx[du];
            for (size_t k = 0; k < N; ++k)
                base[k] += strides[k][du];
            if (idx[du] < out[du])
                break;
            for (size_t k = 0; k < N; ++k)
                base[k] -= strides[k][du] * out[du];
            idx[du] = 0;
        }
    }
}

// out[i] = f(a[ia], b[ib]) over the broadcast of the two shapes, with fast paths for equal shapes
// and scalar operands. `outShape` receives the result shape.
template <class R, class A, class B, class F>
std::vector<R> broadcastBinary(const KernelContext& ctx, const A* a, const Shape& sa, const B* b, const Shape& sb,
                               Shape& outShape, F&& f)
{
    outShape = broadcastShapes(ctx, {sa, sb});
    int64_t total = 1;
    for (int64_t d : outShape)
        total *= d;
    std::vector<R> out(static_cast<size_t>(total));
    int64_t na = 1, nb = 1;
    for (int64_t d : sa)
        na *= d;
    for (int64_t d : sb)
        nb *= d;
    if (sa == sb) {
        for (int64_t i = 0; i < total; ++i)
            out[static_cast<size_t>(i)] = f(a[i], b[i]);
    } else if (nb == 1 && na == total) {
        const B bv = b[0];
        for (int64_t i = 0; i < total; ++i)
            out[static_cast<size_t>(i)] = f(a[i], bv);
    } else if (na == 1 && nb == total) {
        const A av = a[0];
        for (int64_t i = 0; i < total; ++i)
            out[static_cast<size_t>(i)] = f(av, b[i]);
    } else {
        const std::array<std::vector<int64_t>, 2> strides{broadcastStrides(sa, outShape),
                                                          broadcastStrides(sb, outShape)};
        forEachBroadcast<2>(outShape, strides, [&](int64_t o, const std::array<int64_t, 2>& off) {
            out[static_cast<size_t>(o)] = f(a[off[0]], b[off[1]]);
        });
    }
    return out;
}

} // namespace bg
