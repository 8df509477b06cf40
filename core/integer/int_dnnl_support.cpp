#include "integer/int_dnnl_support.h"

#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>

namespace bg {

dnnl::engine& intDnnlEngine()
{
    // One CPU engine for the process; engines are thread-safe to share.
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

bool intDnnlHasVnni()
{
    switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_vnni:
    case dnnl::cpu_isa::avx512_core_bf16:
    case dnnl::cpu_isa::avx512_core_amx:
    case dnnl::cpu_isa::avx2_vnni:
        return true;
    default:
        return false;
    }
}

int64_t intMaxActivationCode(uint8_t largestCode, int64_t atLeast)
{
    return std::max<int64_t>(atLeast, largestCode);
}

int32_t narrowOverflowedAccumulatorAtomically(int64_t exact, IntAccumulators& acc, int64_t channel)
{
    int64_t overflow = 0;
    const int32_t v = narrowAccumulator(exact, overflow);
    // narrowAccumulator(exact, acc, channel)'s counting, from several threads at once.
    std::atomic_ref<int64_t>(acc.overflowCount).fetch_add(overflow, std::memory_order_relaxed);
    if (!acc.channelOverflows.empty())
        std::atomic_ref<int64_t>(acc.channelOverflows[static_cast<size_t>(channel)])
            .fetch_add(overflow, std::memory_order_relaxed);
    return v;
}

IntAccumulators intDnnlAccumulators(const Shape& shape, int64_t channels, size_t numel, IntKernelPath path)
{
    IntAccumulators out;
    out.shape = shape;
    out.path = path;
    out.channelOverflows.assign(static_cast<size_t>(channels), 0);
    out.values.resize(numel);
    return out;
}

bool intPairSumFitsInt16(int64_t maxX, int64_t maxAbsW)
{
    return 2 * maxX * maxAbsW <= std::numeric_limits<int16_t>::max();
}

bool intChannelSumsFitInt32(std::span<const int64_t> absWeightSums, int64_t maxX)
{
    for (int64_t s : absWeightSums)
        if (s * maxX > std::numeric_limits<int32_t>::max())
            return false;
    return true;
}

IntKernelPath intDnnlPath(std::span<const int64_t> absWeightSums, int64_t maxX, int64_t maxAbsW)
{
    if (!intChannelSumsFitInt32(absWeightSums, maxX))
        return IntKernelPath::Reference;
    if (intDnnlHasVnni() || intPairSumFitsInt16(maxX, maxAbsW))
        return IntKernelPath::OneDnn;
    // Each half is at most 127 (hi at most 1), and every weight code is narrow-range (|q| <= 127),
    // so the halves' pair sums fit int16 and their channel sums are bounded by guard (1)'s.
    return IntKernelPath::OneDnnSplit;
}

bool intDnnlStoreIsExact(const char* impl, std::span<const int64_t> absWeightSums, int64_t maxX, IntKernelPath path)
{
    // The implementations measured to store int32 sums as they are (oneDNN's brgemm-based
    // convolutions and matmul, and its integer gemm); any other is held to float32's integers.
    const std::string name = impl ? impl : "";
    if (name.starts_with("brg") || name.starts_with("gemm:"))
        return true;
    constexpr int64_t kFloatIntegers = int64_t{1} << 24;
    const int64_t blockMaxX = path == IntKernelPath::OneDnnSplit ? std::min<int64_t>(maxX, (1 << kIntSplitShift) - 1) : maxX;
    for (int64_t s : absWeightSums)
        if (s * blockMaxX > kFloatIntegers)
            return false;
    return true;
}

int64_t intDnnlBlocks(IntKernelPath path)
{
    return path == IntKernelPath::OneDnnSplit ? 2 : 1;
}

std::vector<uint8_t> intSplitCodes(std::span<const uint8_t> codes)
{
    // The codes, then room for the lo block (the same bytes written as the zero-fill of 2n did), split in place.
    std::vector<uint8_t> out(codes.begin(), codes.end());
    out.resize(codes.size() * 2);
    intSplitCodesInPlace(out.data(), codes.size());
    return out;
}

void intSplitCodesInPlace(uint8_t* codes, size_t n)
{
    constexpr uint8_t loMask = (1u << kIntSplitShift) - 1;
    parallelRanges(static_cast<int64_t>(n), 1, [codes, n](int64_t begin, int64_t end) {
        // The pointers in locals: a store through uint8_t* may alias any object whose address is
        // known, the lambda's captures too, which kept the loop scalar (reloading them each time).
        uint8_t* __restrict h = codes;
        uint8_t* __restrict l = codes + n;
        for (int64_t i = begin; i < end; ++i) {
            const uint8_t q = h[i];
            l[i] = static_cast<uint8_t>(q & loMask);
            h[i] = static_cast<uint8_t>(q >> kIntSplitShift);
        }
    });
}

dnnl::memory intDnnlReorderIfNeeded(const dnnl::memory& user, const dnnl::memory::desc& wanted,
                                    dnnl::stream& s)
{
    if (user.get_desc() == wanted)
        return user;
    dnnl::memory m(wanted, intDnnlEngine());
    dnnl::memory src = user;  // a handle copy: reorder::execute wants non-const
    dnnl::reorder(src, m).execute(s, src, m);
    return m;
}

dnnl::memory intDnnlZeroedOutput(const dnnl::memory& user, const dnnl::memory::desc& wanted,
                                 std::vector<uint8_t>& storage)
{
    if (user.get_desc() == wanted)
        return user;
    storage.assign(wanted.get_size(), 0);
    return dnnl::memory(wanted, intDnnlEngine(), storage.data());
}

} // namespace bg
