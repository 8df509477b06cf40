#pragma once
// How the element errors |ref − x| of a comparison are distributed, in octaves: the error
// histogram the GUI draws beside §8's summary figures (one SQNR hides whether a few elements are
// far off or all are a little off). Cheap enough to fill inside MetricAccumulator's element loop
// (one ilogb per element).
#include <array>
#include <cstddef>
#include <cstdint>

namespace bg {

class ErrorHistogram {
public:
    // Bin i holds 2^(kMinExponent+i) ≤ |Δ| < 2^(kMinExponent+i+1); smaller non-zero errors go to
    // bin 0, larger ones to the last bin. 2^-30 ≈ 1e-9 is below float32 rounding of unit values.
    static constexpr int kMinExponent = -30;
    static constexpr int kMaxExponent = 20;
    static constexpr int kBins = kMaxExponent - kMinExponent;

    void add(double absError);
    void merge(const ErrorHistogram& other);

    int64_t exact() const { return exact_; }        // |Δ| = 0
    int64_t nonFinite() const { return nonFinite_; }  // NaN or ±inf differences
    int64_t bin(int i) const { return bins_[static_cast<std::size_t>(i)]; }
    int64_t total() const;
    static double lowerEdge(int i);  // 2^(kMinExponent+i)
    static double upperEdge(int i) { return lowerEdge(i + 1); }

private:
    std::array<int64_t, kBins> bins_{};
    int64_t exact_ = 0;
    int64_t nonFinite_ = 0;
};

} // namespace bg
