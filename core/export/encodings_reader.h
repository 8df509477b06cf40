#pragma once
// Reads an encodings file (encodings_export.h, or another tool's AIMET 0.6.1 file) back as the
// ranges calibration would have measured: `--encodings FILE` takes them instead of calibrating, so a
// file doubles as a calibration cache. Activation min/max are lo', hi' of §4, so the scales and
// zero points derived from them are bit-identical to the calibrated run's; the `biasguard`
// section, when present, gives back each BN layer's per-channel pre-BN range (§7 constant) and the
// non-finite flags. param_encodings are not read: BiasGuard derives its weights from the model.
#include "calibration/range_table.h"
#include "folding/model_structure.h"

#include <string>

namespace bg {

// Throws bg::Error(BadInput) naming `path` and the tensor at fault: not JSON, a missing or
// mistyped key, a tensor the model lacks, an encoding at another bit width than `activationBits`,
// a per-channel or float activation encoding, min > max, a graph input or fusion-group tensor
// without an encoding; FileNotFound / FileUnreadable as any file.
RangeTable readEncodingsRanges(const std::string& path, const ModelStructure& model, int activationBits);

} // namespace bg
