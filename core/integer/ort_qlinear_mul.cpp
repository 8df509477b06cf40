#include "integer/ort_qlinear_mul.h"

#include "io/error.h"
#include "runtime/kernels/broadcast.h"

#include <algorithm>

namespace bg {

namespace {

Shape broadcastOf(const Shape& a, const Shape& b, const std::string& subject)
{
    Shape out(std::max(a.size(), b.size()), 1);
    for (size_t i = 0; i < out.size(); ++i) {
        const int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw Error(ErrorCode::ShapeMismatch, subject,
                        "Mul operands " + shapeToString(a) + " and " + shapeToString(b) + " do not broadcast");
        out[out.size() - 1 - i] = da == 1 ? db : da;
    }
    return out;
}

} // namespace

QuantActivation qlinearMulOrt(const QuantActivation& a, const QuantActivation& b, float ratio, int64_t zeroPointC,
                              const std::string& subject)
{
    QuantActivation c;
    c.shape = broadcastOf(a.shape, b.shape, subject);
    c.zeroPoint = zeroPointC;
    c.bits = 8;
    c.values.resize(static_cast<size_t>(shapeNumel(c.shape)));
    const int32_t za = static_cast<int32_t>(a.zeroPoint), zb = static_cast<int32_t>(b.zeroPoint);
    broadcastBinaryInto(c.values.data(), a.values.data(), a.shape, b.values.data(), b.shape, c.shape,
                        [&](uint8_t qa, uint8_t qb) {
                            return qlinearMulValueOrt((int32_t{qa} - za) * (int32_t{qb} - zb), ratio, zeroPointC);
                        });
    return c;
}

} // namespace bg
