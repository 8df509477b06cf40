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

bg::Tensor textLinesTestInput(const bg::Shape& shape)
{
    bg::Tensor t = bg::Tensor::zeros(bg::DType::Float32, shape);
    auto values = t.floats();
    const int64_t h = shape.at(2), w = shape.at(3);
    for (int64_t i = 0; i < t.numel(); ++i) {
        const int64_t x = i % w, y = (i / w) % h, r = y % 64, u = x % 24;
        const bool dark = x >= 32 && x < w - 32 && r >= 20 && r < 44
            && (u < 4 || (u >= 10 && u < 14) || ((r == 20 || r == 31 || r == 43) && u < 14));
        values[static_cast<size_t>(i)] = dark ? -1.5f : 2.0f;
    }
    return t;
}

} // namespace bgtest
