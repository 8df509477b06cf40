#pragma once
// BiasGuard's integer decisions as an AIMET encodings file (layout version 0.6.1: tensor name ->
// list of encodings, one per tensor or one per output channel), keyed by the tensor names of the
// fixed float model (fixed_model_export.h), so that a toolchain that imports encodings quantizes
// with BiasGuard's scales instead of its own:
//
//   activation_encodings  every tensor the integer pipeline quantizes (§4): unsigned n_a-bit affine,
//                         min/max = lo', hi' at full double precision, scale s, offset = −zp
//   param_encodings       each integer layer's weight (per channel: the scale its codes were rounded
//                         with — s_w,c of W', widened s_w,c, or s_W,c of the unscaled W for the
//                         channels gamma separation keeps apart), its bias (the pre-scale n_b-bit
//                         register: scale s_w,c·s_x) and a separated layer's post-scale Add (n_b
//                         bits at s_y)
//   biasguard             what AIMET has no field for and a read-back needs to reproduce the run
//                         bit for bit: the settings, each layer's per-channel pre-BN range (§7's
//                         constant test), the linear layers that run in float (no weight
//                         encodings, with the reason) and the tensors whose calibration met NaN/inf.
// Conventions and what a toolchain cannot get from this file: docs/SPEC_NOTES.md, "Encodings".
#include "export/fixed_model_export.h"
#include "integer/integer_runtime.h"

#include <string>

namespace bg {

// The version string written (AIMET's dictionary layout).
inline constexpr const char* kEncodingsVersion = "0.6.1";

// `runtime` is the integer pipeline of the model at the plan; `fixed` the fixed model built from
// the same pairs with the same plan (its tensor names).
std::string encodingsJson(const IntegerRuntime& runtime, const FixedModel& fixed);

// Atomic write; throws bg::Error(WriteFailed) naming `path`.
void writeEncodings(const std::string& path, const IntegerRuntime& runtime, const FixedModel& fixed);

} // namespace bg
