#include "integer/activation_quantizer.h"

namespace bg {

QuantActivation quantizeActivation(const Tensor& x, const ActivationQuant& q)
{
    QuantActivation out;
    out.shape = x.shape();
    out.zeroPoint = q.zeroPoint;
    out.bits = q.bits;
    const auto v = x.floats();
    out.values.resize(v.size());
    for (size_t i = 0; i < v.size(); ++i)
        out.values[i] = static_cast<uint8_t>(q.quantize(static_cast<double>(v[i])));
    return out;
}

Tensor dequantizeActivation(const QuantActivation& x, const ActivationQuant& q)
{
    // 256 possible codes: a table makes the conversion exact and cheap.
    float table[256];
    for (int c = 0; c < 256; ++c)
        table[c] = static_cast<float>(static_cast<double>(c - q.zeroPoint) * q.scale);
    std::vector<float> v(x.values.size());
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = table[x.values[i]];
    return Tensor(x.shape, std::move(v));
}

} // namespace bg
