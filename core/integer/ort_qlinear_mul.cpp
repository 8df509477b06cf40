#include "integer/ort_qlinear_mul.h"

#include "io/error.h"
#include "runtime/kernels/broadcast.h"

#include <optional>

namespace bg {

QuantActivation qlinearMulOrt(const QuantActivation& a, const QuantActivation& b, float ratio, int64_t zeroPointC,
                              const std::string& subject)
{
    QuantActivation c;
    std::string why;
    const std::optional<Shape> shape = broadcastShapesOf({a.shape, b.shape}, why);
    if (!shape)
        throw Error(ErrorCode::ShapeMismatch, subject, why);
    c.shape = *shape;
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
