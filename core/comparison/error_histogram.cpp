#include "comparison/error_histogram.h"

#include <algorithm>
#include <cmath>

namespace bg {

void ErrorHistogram::add(double absError)
{
    if (absError == 0.0) {
        ++exact_;
        return;
    }
    if (!std::isfinite(absError)) {
        ++nonFinite_;
        return;
    }
    // ilogb gives floor(log2 |Δ|) exactly, without a log.
    const int e = std::clamp(std::ilogb(absError), kMinExponent, kMaxExponent - 1);
    ++bins_[static_cast<size_t>(e - kMinExponent)];
}

void ErrorHistogram::merge(const ErrorHistogram& other)
{
    for (size_t i = 0; i < bins_.size(); ++i)
        bins_[i] += other.bins_[i];
    exact_ += other.exact_;
    nonFinite_ += other.nonFinite_;
}

int64_t ErrorHistogram::total() const
{
    int64_t n = exact_ + nonFinite_;
    for (int64_t b : bins_)
        n += b;
    return n;
}

double ErrorHistogram::lowerEdge(int i)
{
    return std::ldexp(1.0, kMinExponent + i);
}

} // namespace bg
