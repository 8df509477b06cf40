#pragma once
// Internal to the integer kernels: the oneDNN engine and the guards that decide how a u8×s8→s32
// oneDNN primitive computes a sum EXACTLY. oneDNN's s32 result is the exact integer sum when
// (1) no partial sum leaves int32 and (2) the instruction sequence does not saturate on the way.
// (2) holds with VNNI (vpdpbusd widens each u8·s8 product to int32 before adding); the pre-VNNI
// sequence (vpmaddubsw, AVX2 and AVX-512 without VNNI) adds two u8·s8 products into a SATURATING
// int16 first. Where (2) can fail, the kernels split every activation code as q = 128·hi + lo
// (hi in {0, 1}, lo in [0, 127]): a pair of products then reaches at most 2·127·127 = 32258, and
// acc = 128·S(hi) + S(lo) is exact. The two halves run as two blocks of ONE primitive's batch (or
// rows), so a split layer costs one primitive call with twice the work, never the reference loops.
#include "integer/int_tensor.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <span>
#include <limits>
#include <vector>

namespace bg {

dnnl::engine& intDnnlEngine();

// True when oneDNN's effective ISA uses VNNI for u8×s8 (avx512_core_vnni and later, avx2_vnni).
bool intDnnlHasVnni();

// Guard (2): without VNNI, a pair of products can reach 2·maxX·maxAbsW; it must fit int16.
bool intPairSumFitsInt16(int64_t maxX, int64_t maxAbsW);

// Guard (1) for a set of per-output-channel sums Σ|q_w| (each output reads every weight of its
// channel at most once): maxX·Σ|q_w| must fit int32 for every channel.
bool intChannelSumsFitInt32(std::span<const int64_t> absWeightSums, int64_t maxX);

// The exact way to run these operands on this CPU: Reference when guard (1) fails, OneDnn when
// guard (2) holds (or VNNI makes it moot), else OneDnnSplit.
IntKernelPath intDnnlPath(std::span<const int64_t> absWeightSums, int64_t maxX, int64_t maxAbsW);

// Guard (3), checked once a primitive is chosen: some oneDNN 2.6 implementations pass their s32
// accumulators through float32 on the way out (measured by tst_int_kernels::bigSumsStayExact: the
// jit_uni_int8 / jit_int8 convolutions and the jit deconvolutions round sums beyond 2^24, brgconv
// and the matmuls do not), so their result is exact only while every sum a block computes fits
// float32's contiguous integers: maxX·Σ|q_w| ≤ 2^24 per channel, maxX being the block's largest
// code (at most 127 for the lo block of a split, 1 for its hi block). True when `impl`
// (primitive_desc::impl_info_str) keeps the sums in int32, or when the bound holds.
bool intDnnlStoreIsExact(const char* impl, std::span<const int64_t> absWeightSums, int64_t maxX, IntKernelPath path);

// The split of OneDnnSplit: q = (hi << kIntSplitShift) + lo.
constexpr int kIntSplitShift = 7;

// How many blocks of the batch (rows) a primitive of `path` computes: 2 for OneDnnSplit, else 1.
int64_t intDnnlBlocks(IntKernelPath path);

// The codes a OneDnnSplit primitive reads: the hi block (q >> 7) followed by the lo block
// (q & 127), twice as long as `codes`.
std::vector<uint8_t> intSplitCodes(std::span<const uint8_t> codes);
// The same in place: codes[0, n) become the hi block and codes[n, 2n) (written, never read) the lo block.
void intSplitCodesInPlace(uint8_t* codes, size_t n);

// The exact sum S of output element i from a primitive's s32 result laid out as intDnnlBlocks
// blocks of `blockSize` elements (block 0 holds S(hi) when split, block 1 S(lo)).
inline int64_t intDnnlJoinedSum(const std::vector<int32_t>& sums, size_t i, size_t blockSize,
                                IntKernelPath path)
{
    if (path != IntKernelPath::OneDnnSplit)
        return sums[i];
    return (int64_t{sums[i]} << kIntSplitShift) + sums[i + blockSize];
}

// Copies `user` into the layout `wanted` when they differ (executing on `s`), else returns user.
dnnl::memory intDnnlReorderIfNeeded(const dnnl::memory& user, const dnnl::memory::desc& wanted,
                                    dnnl::stream& s);

// The memory a primitive writes its output to: `user` itself (already zero-filled by the caller)
// when the layouts agree, else a ZERO-FILLED buffer in `wanted` layout, kept alive by `storage`.
// Zero-filling is not optional: oneDNN 2.6's jit deconvolution leaves output positions that no
// input reaches (stride larger than the kernel) unwritten, and they must read 0.
dnnl::memory intDnnlZeroedOutput(const dnnl::memory& user, const dnnl::memory::desc& wanted,
                                 std::vector<uint8_t>& storage);

// Runs `primitive` (a convolution or deconvolution of `pd`) on user-layout memories: src and
// weights reordered into the primitive's layouts when they differ, the output written through a
// zeroed buffer (intDnnlZeroedOutput) and reordered back into `dstUser` (a handle: it is copied,
// its buffer is written).
template <typename Primitive, typename PrimitiveDesc>
void intDnnlRunReordered(const Primitive& primitive, const PrimitiveDesc& pd, const dnnl::memory& srcUser,
                         const dnnl::memory& weiUser, dnnl::memory dstUser, dnnl::stream& stream,
                         std::vector<uint8_t>& dstScratch)
{
    dnnl::memory src = intDnnlReorderIfNeeded(srcUser, pd.src_desc(), stream);
    dnnl::memory wei = intDnnlReorderIfNeeded(weiUser, pd.weights_desc(), stream);
    dnnl::memory dst = intDnnlZeroedOutput(dstUser, pd.dst_desc(), dstScratch);
    primitive.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}});
    if (dst != dstUser)
        dnnl::reorder(dst, dstUser).execute(stream, dst, dstUser);
    stream.wait();
}

// The largest activation code a kernel reads: max(largestCode, atLeast), largestCode being
// validateActivation's (atLeast: the zero point that padding reads, or the 1 of an all-ones batch
// element). Guard (1)'s maxX.
int64_t intMaxActivationCode(uint8_t largestCode, int64_t atLeast);

// Empty accumulators of a oneDNN run of `path`: `numel` values, per-channel overflow counters.
IntAccumulators intDnnlAccumulators(const Shape& shape, int64_t channels, size_t numel, IntKernelPath path);

// narrowAccumulator(exact, acc, channel) for a loop on the thread team: inline where exact fits
// (every element, once the kernels' guard holds), the saturation and its count (relaxed atomic
// adds into acc.overflowCount and acc.channelOverflows: only the totals matter) out of line.
int32_t narrowOverflowedAccumulatorAtomically(int64_t exact, IntAccumulators& acc, int64_t channel);
inline int32_t narrowAccumulatorAtomically(int64_t exact, IntAccumulators& acc, int64_t channel)
{
    if (exact >= std::numeric_limits<int32_t>::min() && exact <= std::numeric_limits<int32_t>::max()) [[likely]]
        return static_cast<int32_t>(exact);
    return narrowOverflowedAccumulatorAtomically(exact, acc, channel);
}

} // namespace bg
