#pragma once
// The float formula of each element-wise operator that the integer pipeline also evaluates block by
// block (integer/elementwise_chain.h): one function per formula, read by the operator's own kernel
// (runtime/ops/<op>.cpp) and by the chain, so that both give the same bits.
#include <algorithm>

namespace bg {

inline float addFloat(float a, float b) { return a + b; }
inline float subFloat(float a, float b) { return a - b; }
inline float mulFloat(float a, float b) { return a * b; }
inline float divFloat(float a, float b) { return a / b; }
// Same order as the ONNX reference (min(max(x, lo), hi)): with lo > hi every value is hi.
inline float clipFloat(float x, float lo, float hi) { return std::min(std::max(x, lo), hi); }
inline float reluFloat(float x) { return std::max(x, 0.0f); }

} // namespace bg
