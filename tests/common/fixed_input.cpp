#include "common/fixed_input.h"

namespace bgtest {

bg::Tensor fixedTestInput(const bg::Shape& shape)
{
    bg::Tensor t = bg::Tensor::zeros(bg::DType::Float32, shape);
    auto values = t.floats();
    for (int64_t i = 0; i < t.numel(); ++i) {
        // Same operations as the JavaScript: an exact integer, one double division, then float32.
        const double k = static_cast<double>((i * 7919) % 2001);
        values[static_cast<size_t>(i)] = static_cast<float>(k / 1000.0 - 1.0);
    }
    return t;
}

} // namespace bgtest
