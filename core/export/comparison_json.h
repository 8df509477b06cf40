#pragma once
// The machine-readable comparison report (`biasguard-cli compare --json`): `settings`, `inputs`,
// `outputs` (per graph output: `quantized` and `fixed` metrics), `layers` (per fusion-group output,
// with `rmse_over_scale` and the worst channels), `overflow`, `plan` (channels per strategy).
#include "comparison/model_comparison.h"

#include <string>

namespace bg {

std::string comparisonToJson(const ModelComparison& comparison, const std::string& modelPath);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeComparisonJson(const std::string& path, const ModelComparison& comparison, const std::string& modelPath);

} // namespace bg
