#include "common/text_line_input.h"

#include <algorithm>
#include <vector>

namespace bgtest {

namespace {

class Lcg {
public:
    // The seed hashed (murmur3's finalizer), so that neighbouring seeds start far apart.
    explicit Lcg(uint32_t seed) : s_(seed)
    {
        s_ = (s_ ^ (s_ >> 16)) * 0x85ebca6bu;
        s_ = (s_ ^ (s_ >> 13)) * 0xc2b2ae35u;
        s_ ^= s_ >> 16;
    }
    double unit() { s_ = s_ * 1664525u + 1013904223u; return double(s_ >> 8) / double(1u << 24); }  // [0, 1)
    int range(int lo, int hi) { return lo + int(unit() * double(hi - lo + 1)); }                  // [lo, hi]

private:
    uint32_t s_;
};

// Ink coverage of one text line, h x w, 1 on a stroke. Latin-like lines: glyphs of 1-3 stems and
// 0-3 bars in the x-height band, some with an ascender or a descender; CJK-like lines: square
// glyphs as tall as the line, 1-3 stems and 1-4 bars each. Word gaps now and then.
std::vector<float> glyphMask(int64_t h, int64_t w, Lcg& rng)
{
    std::vector<float> mask(size_t(h * w), 0.0f);
    auto fill = [&](int64_t x0, int64_t x1, int64_t y0, int64_t y1) {
        for (int64_t y = std::max<int64_t>(0, y0); y < std::min(h, y1); ++y)
            for (int64_t x = std::max<int64_t>(0, x0); x < std::min(w, x1); ++x)
                mask[size_t(y * w + x)] = 1.0f;
    };
    // A detector's crop is tight: the x-height is a third to a half of it, extenders up to a quarter.
    const bool square = rng.unit() < 0.5;
    const int xHeight = rng.range(int(h) / 3, int(h) / 2);
    const int baseline = int(h) / 2 + xHeight / 2 + rng.range(-3, 3);
    const int extender = rng.range(int(h) / 8, int(h) / 4);
    const int stroke = rng.range(2, 4);
    for (int64_t x = rng.range(2, 8); x < w - 4;) {
        const int top = square ? baseline - xHeight - extender : baseline - xHeight;
        const int gh = baseline - top;
        const int gw = square ? gh + rng.range(-2, 2) : rng.range(stroke * 2 + 2, stroke * 2 + 10);
        const double kind = rng.unit();
        const int up = !square && kind < 0.3 ? extender : 0, down = !square && kind > 0.85 ? extender : 0;
        const int stems = rng.range(1, 3);
        for (int s = 0; s < stems; ++s) {
            const int64_t sx = x + (stems == 1 ? gw / 2 - stroke / 2 : s * (gw - stroke) / (stems - 1));
            const int64_t y0 = square ? top + rng.range(0, gh / 3) : top - (s == 0 ? up : 0);
            const int64_t y1 = square ? baseline - rng.range(0, gh / 3) : baseline + (s == stems - 1 ? down : 0);
            fill(sx, sx + stroke, y0, y1);
        }
        for (int b = rng.range(square ? 1 : 0, square ? 4 : 3); b > 0; --b) {
            const int64_t by = top + rng.range(0, gh - stroke);
            const int64_t bx0 = square ? x + rng.range(0, gw / 3) : x, bx1 = square ? x + gw - rng.range(0, gw / 3) : x + gw;
            fill(bx0, bx1, by, by + stroke);
        }
        x += gw + rng.range(2, 5) + (rng.unit() < 0.15 ? rng.range(6, 12) : 0);
    }
    return mask;
}

} // namespace

bg::Tensor textLineCropTestInput(const bg::Shape& shape, uint32_t seed)
{
    bg::Tensor t = bg::Tensor::zeros(bg::DType::Float32, shape);
    auto values = t.floats();
    const int64_t n = shape.at(0), channels = shape.at(1), h = shape.at(2), w = shape.at(3);
    Lcg rng(seed);
    // The crop's aspect ratio: its resized width from a third of the input's width to all of it.
    const int64_t tw = std::max<int64_t>(8, w / 3 + int64_t(rng.unit() * double(w - w / 3 + 1)));
    const std::vector<float> mask = glyphMask(h, tw, rng);
    const bool turned = seed % 2 == 1;
    const double paper = 0.55 + 0.4 * rng.unit(), ink = -1.0 + 0.5 * rng.unit();
    std::vector<double> tint(static_cast<size_t>(channels));
    for (double& c : tint)
        c = 0.1 * (rng.unit() - 0.5);
    for (int64_t b = 0; b < n; ++b)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t y = 0; y < h; ++y)
                for (int64_t x = 0; x < tw; ++x) {
                    // Coverage blurred over 3x3 (soft edges, as a resized photo has), read turned or not.
                    const int64_t sy = turned ? h - 1 - y : y, sx = turned ? tw - 1 - x : x;
                    double cover = 0;
                    for (int64_t dy = -1; dy <= 1; ++dy)
                        for (int64_t dx = -1; dx <= 1; ++dx) {
                            const int64_t yy = std::clamp<int64_t>(sy + dy, 0, h - 1), xx = std::clamp<int64_t>(sx + dx, 0, tw - 1);
                            cover += mask[size_t(yy * tw + xx)];
                        }
                    cover /= 9;
                    const double v = paper + (ink - paper) * cover + tint[size_t(c)] + 0.08 * (rng.unit() - 0.5);
                    values[size_t(((b * channels + c) * h + y) * w + x)] = float(std::clamp(v, -1.0, 1.0));
                }
    return t;
}

} // namespace bgtest
