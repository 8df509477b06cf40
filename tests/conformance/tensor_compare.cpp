#include "tensor_compare.h"

#include "model/half_float.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace bgconf {

namespace {

std::string indexString(const bg::Shape& shape, int64_t flat)
{
    if (shape.empty())
        return "[]";
    std::vector<int64_t> idx(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        const int64_t extent = shape[d] > 0 ? shape[d] : 1;
        idx[d] = flat % extent;
        flat /= extent;
    }
    return bg::shapeToString(idx);
}

std::string typeName(const bg::Tensor& t)
{
    return t.isFloat() ? "float" : "int64";
}

} // namespace

CompareResult compareTensors(const bg::Tensor& actual, const bg::Tensor& expected, int32_t expectedElemType,
                             const Tolerance& tol)
{
    CompareResult r;
    std::ostringstream os;
    if (actual.shape() != expected.shape()) {
        r.ok = false;
        os << "shape " << bg::shapeToString(actual.shape()) << " (" << typeName(actual) << "), expected "
           << bg::shapeToString(expected.shape()) << " (" << typeName(expected) << ")";
        r.detail = os.str();
        return r;
    }
    if (actual.isFloat() != expected.isFloat()) {
        r.ok = false;
        os << "element type " << typeName(actual) << " (elemType " << actual.elemType() << "), expected "
           << typeName(expected) << " (elemType " << expectedElemType << ")";
        r.detail = os.str();
        return r;
    }
    const int64_t n = expected.numel();
    int64_t bad = 0;
    int64_t worst = -1;
    double worstExcess = -1;
    if (!expected.isFloat()) {
        auto a = actual.ints();
        auto e = expected.ints();
        for (int64_t k = 0; k < n; ++k) {
            if (a[static_cast<size_t>(k)] != e[static_cast<size_t>(k)]) {
                ++bad;
                const double diff = std::fabs(static_cast<double>(a[static_cast<size_t>(k)])
                                              - static_cast<double>(e[static_cast<size_t>(k)]));
                if (diff > worstExcess) {
                    worstExcess = diff;
                    worst = k;
                }
            }
        }
        if (bad == 0)
            return r;
        r.ok = false;
        const auto w = static_cast<size_t>(worst);
        os << bad << " of " << n << " integer elements differ; worst at " << indexString(expected.shape(), worst)
           << ": got " << a[w] << ", expected " << e[w];
        r.detail = os.str();
        return r;
    }

    auto a = actual.floats();
    auto e = expected.floats();
    const bool half = expectedElemType == 10;
    const bool bf16 = expectedElemType == 16;
    for (int64_t k = 0; k < n; ++k) {
        double got = a[static_cast<size_t>(k)];
        if (half)
            got = bg::halfToFloat(bg::floatToHalf(static_cast<float>(got)));
        else if (bf16)
            got = bg::bfloat16ToFloat(bg::floatToBfloat16(static_cast<float>(got)));
        const double want = e[static_cast<size_t>(k)];
        if (std::isnan(want) && std::isnan(got))
            continue;
        if (got == want)  // also equal infinities
            continue;
        const double diff = std::fabs(got - want);
        const double allowed = tol.atol + tol.rtol * std::fabs(want);
        // An infinity matches only the same infinity (the relative allowance would be infinite).
        const bool infMismatch = std::isinf(want) || std::isinf(got);
        if (infMismatch || !(diff <= allowed)) {
            ++bad;
            const double excess = std::isnan(diff) || std::isinf(diff) ? INFINITY : diff - allowed;
            if (excess > worstExcess || worst < 0) {
                worstExcess = excess;
                worst = k;
            }
        }
    }
    if (bad == 0)
        return r;
    r.ok = false;
    const auto w = static_cast<size_t>(worst);
    os.precision(9);
    os << bad << " of " << n << " elements outside |a-b| <= " << tol.atol << " + " << tol.rtol << "*|b|; worst at "
       << indexString(expected.shape(), worst) << " (flat " << worst << "): got " << a[w] << ", expected " << e[w]
       << ", |diff| " << std::fabs(static_cast<double>(a[w]) - static_cast<double>(e[w]));
    // The first few elements give a feel for systematic errors (wrong layout, missing bias ...).
    os << "\n      first elements got:      ";
    for (int64_t k = 0; k < std::min<int64_t>(n, 8); ++k)
        os << a[static_cast<size_t>(k)] << ' ';
    os << "\n      first elements expected: ";
    for (int64_t k = 0; k < std::min<int64_t>(n, 8); ++k)
        os << e[static_cast<size_t>(k)] << ' ';
    r.detail = os.str();
    return r;
}

} // namespace bgconf
