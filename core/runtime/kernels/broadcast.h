#pragma once
// Numpy multidirectional broadcasting: the output shape of several operands, and a row-major walk
// over the output that hands each element's flat offsets into every operand. Dims are aligned at
// the right; a dim of 1 (or a missing leading dim) repeats.
#include "runtime/kernel_context.h"
#include "runtime/kernels/parallel_ranges.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bg {

// Broadcast shape of all operands; fails (ShapeMismatch) naming the node when two dims differ and
// neither is 1. The result's size is checked against the kernel tensor limit.
Shape broadcastShapes(const KernelContext& ctx, const std::vector<Shape>& shapes);
// The same rule without a node: the broadcast shape, or nothing, with `why` saying which dims clash.
std::optional<Shape> broadcastShapesOf(const std::vector<Shape>& shapes, std::string& why);

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

// The walk of a binary broadcast with adjacent dims merged where both operands allow it (stride of
// d = stride of d+1 x size of d+1 for each), so that [1,C,H,W] op [1,C,1,1] becomes C rows of H*W
// in which one operand is contiguous and the other a constant: rows a compiler can vectorise.
struct BroadcastRows {
    Shape outer;                        // merged dims before the row
    int64_t row = 1;                    // elements of the innermost merged dim
    std::array<std::vector<int64_t>, 2> strides;  // per operand, over `outer`
    std::array<int64_t, 2> rowStride{};  // per operand, along the row (0 or its own stride)
};
BroadcastRows broadcastRows(const Shape& sa, const Shape& sb, const Shape& out);

// out[i] = f(a[ia], b[ib]) over `outShape`, the broadcast of sa and sb, written to `out` (which may
// be a's or b's own storage when that operand has the output's shape: each element is read before
// it is written).
template <class R, class A, class B, class F>
void broadcastBinaryInto(R* out, const A* a, const Shape& sa, const B* b, const Shape& sb, const Shape& outShape,
                         F&& f)
{
    int64_t total = 1, na = 1, nb = 1;
    for (int64_t d : outShape)
        total *= d;
    for (int64_t d : sa)
        na *= d;
    for (int64_t d : sb)
        nb *= d;
    if (total == 0)
        return;
    if (na == total && nb == total && sa == sb) {
        parallelRanges(total, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                out[i] = f(a[i], b[i]);
        });
        return;
    }
    if (nb == 1 && na == total) {
        const B bv = b[0];
        parallelRanges(total, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                out[i] = f(a[i], bv);
        });
        return;
    }
    if (na == 1 && nb == total) {
        const A av = a[0];
        parallelRanges(total, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                out[i] = f(av, b[i]);
        });
        return;
    }
    const BroadcastRows rows = broadcastRows(sa, sb, outShape);
    const int64_t n = rows.row;
    const int64_t ra = rows.rowStride[0], rb = rows.rowStride[1];
    auto doRow = [&](R* o, const A* pa, const B* pb) {
        if (ra == 1 && rb == 1) {
            for (int64_t j = 0; j < n; ++j)
                o[j] = f(pa[j], pb[j]);
        } else if (ra == 1 && rb == 0) {
            const B bv = *pb;
            for (int64_t j = 0; j < n; ++j)
                o[j] = f(pa[j], bv);
        } else if (ra == 0 && rb == 1) {
            const A av = *pa;
            for (int64_t j = 0; j < n; ++j)
                o[j] = f(av, pb[j]);
        } else {
            for (int64_t j = 0; j < n; ++j)
                o[j] = f(pa[j * ra], pb[j * rb]);
        }
    };
    // Row r's operand offsets, from r's index over the outer dims (rows are split across threads,
    // so each chunk starts from its own index instead of an odometer).
    const size_t outerRank = rows.outer.size();
    int64_t rowCount = 1;
    for (int64_t d : rows.outer)
        rowCount *= d;
    parallelRanges(rowCount, n, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            int64_t rest = r, offA = 0, offB = 0;
            for (size_t d = outerRank; d-- > 0;) {
                const int64_t i = rest % rows.outer[d];
                rest /= rows.outer[d];
                offA += i * rows.strides[0][d];
                offB += i * rows.strides[1][d];
            }
            doRow(out + r * n, a + offA, b + offB);
        }
    });
}

// The same, into a new vector; `outShape` receives the result shape.
template <class R, class A, class B, class F>
std::vector<R> broadcastBinary(const KernelContext& ctx, const A* a, const Shape& sa, const B* b, const Shape& sb,
                               Shape& outShape, F&& f)
{
    outShape = broadcastShapes(ctx, {sa, sb});
    int64_t total = 1;
    for (int64_t d : outShape)
        total *= d;
    std::vector<R> out(static_cast<size_t>(total));
    broadcastBinaryInto(out.data(), a, sa, b, sb, outShape, f);
    return out;
}

} // namespace bg
