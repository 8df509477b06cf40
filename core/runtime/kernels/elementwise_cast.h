#pragma once
// Cast semantics shared by Cast and CastLike. The runtime stores every float type as float32 and
// every integer/bool type as int64, so a cast converts between those two and then applies what
// the target type would do to the value: float16/bfloat16 round to their precision, narrow
// integers wrap (two's complement), bool becomes 0/1. The ONNX type is kept in elemType.
#include "runtime/kernel_context.h"

#include <cstdint>

namespace bg {

// Nearest float16 value (ties to even), returned as float32.
float roundToFloat16(float v);
// bfloat16 by truncation (the ONNX reference's Cast), returned as float32.
float roundToBFloat16(float v);

// Human-readable ONNX element type name, for messages.
const char* onnxTypeName(int32_t onnxType);

// x converted to ONNX element type `to`; fails (UnsupportedType) for strings, complex and 8-bit
// float types.
Tensor castTensor(const KernelContext& ctx, const Tensor& x, int64_t to);

} // namespace bg
