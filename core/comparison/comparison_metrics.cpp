#include "comparison/comparison_metrics.h"

#include "io/error.h"

#include <cmath>
#include <limits>

namespace bg {

static void requireSameShape(const Tensor& ref, const Tensor& x)
{
    if (ref.shape() != x.shape())
        throw Error(ErrorCode::ShapeMismatch, "comparison",
                    "reference has shape " + shapeToString(ref.shape()) + ", result " + shapeToString(x.shape()));
}

ComparisonMetrics compareTensors(const Tensor& ref, const Tensor& x, std::optional<double> scale)
{
    requireSameShape(ref, x);
    const std::vector<float> r = ref.toFloatVector();
    const std::vector<float> v = x.toFloatVector();
    ComparisonMetrics m;
    m.count = static_cast<int64_t>(r.size());
    double dot = 0, rr = 0, vv = 0, err = 0;
    for (size_t i = 0; i < r.size(); ++i) {
        const double a = r[i], b = v[i], d = a - b;
        dot += a * b;
        rr += a * a;
        vv += b * b;
        err += d * d;
        m.maxAbs = std::max(m.maxAbs, std::fabs(d));
    }
    m.cosine = (rr == 0 && vv == 0) ? 1.0 : (rr == 0 || vv == 0) ? 0.0 : dot / std::sqrt(rr * vv);
    m.sqnrDb = err == 0 ? std::numeric_limits<double>::infinity()
                        : (rr == 0 ? -std::numeric_limits<double>::infinity() : 10.0 * std::log10(rr / err));
    m.mse = r.empty() ? 0.0 : err / static_cast<double>(r.size());
    if (scale && *scale > 0)
        m.rmseOverScale = std::sqrt(m.mse) / *scale;
    if (ref.rank() == 2 && ref.dim(1) > 0) {
        const int64_t rows = ref.dim(0), cols = ref.dim(1);
        int64_t agree = 0;
        for (int64_t row = 0; row < rows; ++row) {
            int64_t ar = 0, ax = 0;
            for (int64_t c = 1; c < cols; ++c) {
                if (r[row * cols + c] > r[row * cols + ar])
                    ar = c;
                if (v[row * cols + c] > v[row * cols + ax])
                    ax = c;
            }
            agree += ar == ax;
        }
        m.top1 = rows ? static_cast<double>(agree) / static_cast<double>(rows) : 1.0;
    }
    return m;
}

ToleranceCheck checkTolerance(const Tensor& ref, const Tensor& x, double atol, double rtol)
{
    requireSameShape(ref, x);
    const std::vector<float> r = ref.toFloatVector();
    const std::vector<float> v = x.toFloatVector();
    ToleranceCheck check;
    double worstExcess = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < r.size(); ++i) {
        const double a = r[i], b = v[i];
        double excess;
        if (std::isnan(a) || std::isnan(b))
            excess = (std::isnan(a) && std::isnan(b)) ? -1.0 : std::numeric_limits<double>::infinity();
        else if (std::isinf(a) || std::isinf(b))
            excess = a == b ? -1.0 : std::numeric_limits<double>::infinity();
        else {
            const double d = std::fabs(a - b);
            excess = std::min(d - atol, d - rtol * std::fabs(a));
        }
        if (excess > 0)
            ++check.failed;
        if (excess > worstExcess) {
            worstExcess = excess;
            check.worstIndex = static_cast<int64_t>(i);
            check.worstRef = a;
            check.worstValue = b;
        }
    }
    return check;
}

} // namespace bg
