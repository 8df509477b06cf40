#include "integer/global_average_pool_codes.h"

#include "integer/activation_quantizer.h"
#include "runtime/kernels/parallel_ranges.h"
#include "runtime/kernels/shape_util.h"

#include <array>
#include <cmath>

namespace bg {

namespace {

// Whether any sum of `size` of these values is a double exactly (the header's bound).
bool sumsAreExact(const std::array<float, 256>& v, int64_t size)
{
    double maxAbs = 0.0, unit = 0.0;
    for (float f : v) {
        if (!std::isfinite(f))
            return false;
        if (f == 0.0f)
            continue;
        int e = 0;
        std::frexp(f, &e);  // |f| in [2^(e−1), 2^e): its unit is 2^(e − 24), or 2^−149 when subnormal
        const double u = std::ldexp(1.0, std::max(e - 24, -149));
        unit = unit == 0.0 ? u : std::min(unit, u);
        maxAbs = std::max(maxAbs, std::fabs(double(f)));
    }
    if (unit == 0.0)
        return true;  // every value 0
    return size < (int64_t(1) << 29) && double(size) * maxAbs <= std::ldexp(unit, 52);
}

} // namespace

std::optional<Tensor> globalAveragePoolOfCodes(const QuantActivation& x, const ActivationQuant& q)
{
    if (x.channelsLast || x.shape.size() < 3 || static_cast<int64_t>(x.values.size()) != shapeNumel(x.shape))
        return std::nullopt;
    const int64_t planes = x.shape[0] * x.shape[1];
    const int64_t size = planes == 0 ? 0 : shapeNumel(x.shape) / planes;
    const std::array<float, 256> v = valueOfEveryCode(q);
    if (!sumsAreExact(v, size))
        return std::nullopt;
    Shape outShape(x.shape.size(), 1);
    outShape[0] = x.shape[0];
    outShape[1] = x.shape[1];
    std::vector<float> y(static_cast<size_t>(planes));
    parallelRanges(planes, size, [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
            // Four histograms, so that runs of one code do not wait on the same counter.
            uint32_t count[4][256] = {};
            const uint8_t* c = x.values.data() + p * size;
            int64_t i = 0;
            for (; i + 4 <= size; i += 4) {
                ++count[0][c[i]];
                ++count[1][c[i + 1]];
                ++count[2][c[i + 2]];
                ++count[3][c[i + 3]];
            }
            for (; i < size; ++i)
                ++count[0][c[i]];
            double sum = 0.0;
            for (int k = 0; k < 256; ++k)
                sum += double(count[0][k] + count[1][k] + count[2][k] + count[3][k]) * double(v[static_cast<size_t>(k)]);
            y[static_cast<size_t>(p)] = size ? static_cast<float>(sum / double(size)) : 0.0f;
        }
    });
    return Tensor(std::move(outShape), std::move(y));
}

} // namespace bg
