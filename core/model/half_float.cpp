#include "model/half_float.h"

#include <bit>
#include <cmath>

namespace bg {

float halfToFloat(uint16_t bits)
{
    const uint32_t sign = (bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1Fu;
    const uint32_t mantissa = bits & 0x3FFu;
    if (exponent == 0x1F)  // infinity or NaN: keep the payload's top bits
        return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    if (exponent == 0) {
        // Zero or subnormal: value = mantissa * 2^-24, exactly representable in float32.
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

float bfloat16ToFloat(uint16_t bits)
{
    // bfloat16 is the upper half of a float32.
    return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

uint16_t floatToHalf(float value)
{
    const uint32_t f = std::bit_cast<uint32_t>(value);
    const uint16_t sign = static_cast<uint16_t>((f >> 16) & 0x8000u);
    const uint32_t absBits = f & 0x7FFFFFFFu;
    if (absBits >= 0x7F800000u)  // inf or NaN
        return static_cast<uint16_t>(sign | 0x7C00u | (absBits > 0x7F800000u ? 0x200u : 0u));
    if (absBits >= 0x477FF000u)  // rounds to a value >= 65520: overflow to infinity
        return static_cast<uint16_t>(sign | 0x7C00u);
    const float absValue = std::bit_cast<float>(absBits);
    if (absBits < 0x38800000u) {
        // Below the smallest normal half (2^-14): subnormal; scale to units of 2^-24 and round
        // to nearest even (nearbyint uses the default rounding mode, which is to-nearest-even).
        const float units = std::nearbyint(std::ldexp(absValue, 24));
        return static_cast<uint16_t>(sign | static_cast<uint16_t>(units));
    }
    // Normal: drop 13 mantissa bits with round-to-nearest-even; a carry may bump the exponent.
    uint32_t rebased = absBits - (112u << 23);
    const uint32_t lsb = (rebased >> 13) & 1u;
    rebased += 0xFFFu + lsb;
    return static_cast<uint16_t>(sign | (rebased >> 13));
}

uint16_t floatToBfloat16(float value)
{
    const uint32_t f = std::bit_cast<uint32_t>(value);
    if ((f & 0x7FFFFFFFu) > 0x7F800000u)
        return static_cast<uint16_t>((f >> 16) | 0x40u);  // quiet NaN
    const uint32_t lsb = (f >> 16) & 1u;
    return static_cast<uint16_t>((f + 0x7FFFu + lsb) >> 16);
}

} // namespace bg
