#pragma once
// IEEE 754 binary16 (float16) and bfloat16 bit patterns <-> float32. Used by the model loader
// (float16/bfloat16 initializers are widened to float32) and the tensor-file readers/writers.
#include <cstdint>

namespace bg {

// Exact: every float16 and bfloat16 value, subnormals, infinities and NaNs included, is a float32.
float halfToFloat(uint16_t bits);
float bfloat16ToFloat(uint16_t bits);

// Round to nearest even; overflow gives infinity, NaN stays NaN.
uint16_t floatToHalf(float value);
uint16_t floatToBfloat16(float value);

} // namespace bg
