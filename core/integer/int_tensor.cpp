#include "integer/int_tensor.h"

#include "io/error.h"
#include "arithmetic/quant_math.h"
#include "runtime/kernels/parallel_ranges.h"

#include <algorithm>
#include <atomic>
#include <limits>

namespace bg {

const char* intKernelPathName(IntKernelPath path)
{
    switch (path) {
    case IntKernelPath::Reference: return "reference";
    case IntKernelPath::OneDnn: return "onednn";
    case IntKernelPath::OneDnnSplit: return "onednn-split";
    }
    return "unknown";
}

int32_t narrowAccumulator(int64_t exact, int64_t& overflowCount)
{
    constexpr int64_t lo = std::numeric_limits<int32_t>::min();
    constexpr int64_t hi = std::numeric_limits<int32_t>::max();
    if (exact < lo || exact > hi) {
        ++overflowCount;
        return static_cast<int32_t>(std::clamp(exact, lo, hi));
    }
    return static_cast<int32_t>(exact);
}

namespace {

// [N, C, P] <-> [N, P, C]: toLast moves channels last, else first. A tile of 64 pixels at a time
// (its C·64 elements stay in L1 while each channel's run is read or written in one pass), tiles on
// the thread team; every element is copied once, so the result is the same however it is split.
template <class T> std::vector<T> transposeChannels(const std::vector<T>& v, const Shape& shape, bool toLast)
{
    constexpr int64_t kTile = 64;
    const int64_t n = shape.empty() ? 0 : shape[0];
    const int64_t c = shape.size() > 1 ? shape[1] : 1;
    const int64_t spatial = n * c == 0 ? 0 : static_cast<int64_t>(v.size()) / (n * c);
    std::vector<T> out(v.size());
    const int64_t tiles = (spatial + kTile - 1) / kTile;
    const T* __restrict src = v.data();
    T* __restrict dst = out.data();
    parallelRanges(n * tiles, kTile * c, [=](int64_t begin, int64_t end) {
        for (int64_t job = begin; job < end; ++job) {
            const int64_t b = job / tiles, p0 = (job % tiles) * kTile, p1 = std::min(p0 + kTile, spatial);
            const int64_t planes = b * c * spatial, pixels = b * spatial * c;
            for (int64_t k = 0; k < c; ++k)
                for (int64_t p = p0; p < p1; ++p) {
                    const int64_t first = planes + k * spatial + p, last = pixels + p * c + k;
                    dst[toLast ? last : first] = src[toLast ? first : last];
                }
        }
    });
    return out;
}

} // namespace

QuantActivation activationChannelsFirst(QuantActivation x)
{
    if (!x.channelsLast)
        return x;
    x.values = transposeChannels(x.values, x.shape, false);
    x.channelsLast = false;
    return x;
}

QuantActivation activationChannelsLast(QuantActivation x)
{
    if (x.channelsLast)
        return x;
    x.values = transposeChannels(x.values, x.shape, true);
    x.channelsLast = true;
    return x;
}

IntAccumulators accumulatorsChannelsFirst(IntAccumulators acc)
{
    if (!acc.channelsLast)
        return acc;
    std::vector<int32_t> out = transposeChannels(acc.values, acc.shape, false);
    acc.values = std::move(out);
    acc.channelsLast = false;
    return acc;
}

uint8_t maxActivationCode(std::span<const uint8_t> codes)
{
    std::atomic<uint8_t> result{0};
    parallelRanges(static_cast<int64_t>(codes.size()), 1, [&](int64_t begin, int64_t end) {
        uint8_t m = 0;
        for (int64_t i = begin; i < end; ++i)  // a plain max: GCC vectorises it
            m = codes[static_cast<size_t>(i)] > m ? codes[static_cast<size_t>(i)] : m;
        uint8_t seen = result.load(std::memory_order_relaxed);
        while (m > seen && !result.compare_exchange_weak(seen, m, std::memory_order_relaxed)) {
        }
    });
    return result.load();
}

int32_t narrowAccumulator(int64_t exact, IntAccumulators& acc, int64_t channel)
{
    const int64_t before = acc.overflowCount;
    const int32_t v = narrowAccumulator(exact, acc.overflowCount);
    if (acc.overflowCount != before && !acc.channelOverflows.empty())
        ++acc.channelOverflows[static_cast<size_t>(channel)];
    return v;
}

namespace {

void checkBits(int bits, const std::string& subject, const char* what)
{
    if (bits < 2 || bits > 8)
        throw Error(ErrorCode::BadSetting, subject,
                    std::string(what) + " bit width " + std::to_string(bits) +
                        " is outside 2..8; the integer kernels work on 8-bit storage");
}

void checkCount(const Shape& shape, size_t count, const std::string& subject, const char* what)
{
    const int64_t numel = shapeNumel(shape);
    if (numel < 0 || static_cast<uint64_t>(numel) != count)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    std::string(what) + " has " + std::to_string(count) + " values but shape " +
                        shapeToString(shape) + " needs " + std::to_string(numel));
}

} // namespace

uint8_t validateActivation(const QuantActivation& x, const std::string& subject, bool channelsLastAllowed)
{
    if (x.channelsLast && !channelsLastAllowed)
        throw Error(ErrorCode::BadSetting, subject, "internal: this kernel reads codes channels-first");
    checkBits(x.bits, subject, "activation");
    checkCount(x.shape, x.values.size(), subject, "activation");
    const int64_t qmax = activationQmax(x.bits);
    if (x.zeroPoint < 0 || x.zeroPoint > qmax)
        throw Error(ErrorCode::BadInput, subject,
                    "activation zero point " + std::to_string(x.zeroPoint) + " is outside [0, " +
                        std::to_string(qmax) + "]");
    const uint8_t mx = maxActivationCode(x.values);
    if (mx > qmax)
        throw Error(ErrorCode::BadInput, subject,
                    "activation code " + std::to_string(mx) + " exceeds the " + std::to_string(x.bits) +
                        "-bit maximum " + std::to_string(qmax));
    return mx;
}

void validateWeight(const QuantWeight& w, const std::string& subject)
{
    checkBits(w.bits, subject, "weight");
    checkCount(w.shape, w.values.size(), subject, "weight");
    const int64_t qmax = weightQmax(w.bits);
    for (int8_t q : w.values)
        if (q < -qmax || q > qmax)
            throw Error(ErrorCode::BadInput, subject,
                        "weight code " + std::to_string(q) + " is outside the narrow " +
                            std::to_string(w.bits) + "-bit range [-" + std::to_string(qmax) +
                            ", " + std::to_string(qmax) + "]");
}

int64_t checkedIntOutputNumel(const Shape& shape, const std::string& subject)
{
    for (int64_t d : shape)
        if (d <= 0)
            throw Error(ErrorCode::ShapeMismatch, subject,
                        "computed output shape " + shapeToString(shape) + " has an empty dimension");
    const int64_t numel = shapeNumel(shape);
    if (numel > kMaxIntKernelElements)
        throw Error(ErrorCode::TensorTooLarge, subject,
                    "output " + shapeToString(shape) + " has more than 2^28 elements");
    return numel;
}

} // namespace bg
