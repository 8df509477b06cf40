#include "comparison/comparison_metrics.h"

#include "comparison/metric_accumulator.h"
#include "io/error.h"

#include <cmath>
#include <limits>

namespace bg {

void requireSameShape(const Tensor& ref, const Tensor& x)
{
    if (ref.shape() != x.shape())
        throw Error(ErrorCode::ShapeMismatch, "comparison",
                    "reference has shape " + shapeToString(ref.shape()) + ", result " + shapeToString(x.shape()));
}

// One sample is an accumulation of one: the formulas live in MetricAccumulator alone.
ComparisonMetrics compareTensors(const Tensor& ref, const Tensor& x, std::optional<double> scale)
{
    MetricAccumulator acc;
    acc.add(ref, x);
    return acc.metrics(scale);
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
