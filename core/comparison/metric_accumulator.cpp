#include "comparison/metric_accumulator.h"

#include "io/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bg {

void MetricAccumulator::add(const Tensor& ref, const Tensor& x)
{
    requireSameShape(ref, x);
    const std::vector<float> r = ref.toFloatVector();
    const std::vector<float> v = x.toFloatVector();
    any_ = true;
    count_ += static_cast<int64_t>(r.size());

    int64_t C = 0, inner = 1;
    const int axis = channelAxis_ < 0 ? -1 : std::min(channelAxis_, ref.rank() - 1);
    if (axis >= 0) {
        C = ref.dim(axis);
        for (int d = axis + 1; d < ref.rank(); ++d)
            inner *= ref.dim(d);
        if (chErr_.size() < static_cast<size_t>(C)) {
            chErr_.resize(static_cast<size_t>(C), 0.0);
            chMax_.resize(static_cast<size_t>(C), 0.0);
            chCount_.resize(static_cast<size_t>(C), 0);
        }
    }
    for (size_t i = 0; i < r.size(); ++i) {
        const double a = r[i], b = v[i], d = a - b;
        dot_ += a * b;
        rr_ += a * a;
        xx_ += b * b;
        err_ += d * d;
        maxAbs_ = std::max(maxAbs_, std::fabs(d));
        errors_.add(std::fabs(d));
        if (C > 0) {
            const size_t c = static_cast<size_t>((static_cast<int64_t>(i) / inner) % C);
            chErr_[c] += d * d;
            chMax_[c] = std::max(chMax_[c], std::fabs(d));
            ++chCount_[c];
        }
    }
    if (ref.rank() == 2 && ref.dim(1) > 0) {
        const int64_t rows = ref.dim(0), cols = ref.dim(1);
        for (int64_t row = 0; row < rows; ++row) {
            int64_t ar = 0, ax = 0;
            for (int64_t c = 1; c < cols; ++c) {
                if (r[static_cast<size_t>(row * cols + c)] > r[static_cast<size_t>(row * cols + ar)])
                    ar = c;
                if (v[static_cast<size_t>(row * cols + c)] > v[static_cast<size_t>(row * cols + ax)])
                    ax = c;
            }
            agree_ += ar == ax;
        }
        rows_ += rows;
    } else {
        allRank2_ = false;
    }
}

ComparisonMetrics MetricAccumulator::metrics(std::optional<double> scale) const
{
    ComparisonMetrics m;
    m.count = count_;
    m.maxAbs = maxAbs_;
    m.errors = errors_;
    m.cosine = (rr_ == 0 && xx_ == 0) ? 1.0 : (rr_ == 0 || xx_ == 0) ? 0.0 : dot_ / std::sqrt(rr_ * xx_);
    m.sqnrDb = err_ == 0 ? std::numeric_limits<double>::infinity()
                         : (rr_ == 0 ? -std::numeric_limits<double>::infinity() : 10.0 * std::log10(rr_ / err_));
    m.mse = count_ == 0 ? 0.0 : err_ / static_cast<double>(count_);
    if (scale && *scale > 0)
        m.rmseOverScale = std::sqrt(m.mse) / *scale;
    if (any_ && allRank2_)
        m.top1 = rows_ ? static_cast<double>(agree_) / static_cast<double>(rows_) : 1.0;
    return m;
}

std::vector<ChannelError> MetricAccumulator::worstChannels(size_t n) const
{
    std::vector<ChannelError> all;
    for (size_t c = 0; c < chErr_.size(); ++c)
        all.push_back({static_cast<int64_t>(c), chCount_[c] ? chErr_[c] / static_cast<double>(chCount_[c]) : 0.0,
                       chMax_[c]});
    std::stable_sort(all.begin(), all.end(), [](const ChannelError& a, const ChannelError& b) { return a.mse > b.mse; });
    if (all.size() > n)
        all.resize(n);
    return all;
}

} // namespace bg
