#pragma once
// QUANT_SPEC §9: the machine-readable fold analysis (`--json`).
#include "analysis/activation_diagnosis.h"
#include "analysis/fold_analysis.h"

#include <string>
#include <vector>

namespace bg {

// With `activation`: also "activation_diagnosis": {"tensors": [...]} (export/activation_diagnosis_json.h).
std::string analysisToJson(const FoldAnalysis& analysis, const std::vector<TensorRangeDiagnosis>* activation = nullptr);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeAnalysisJson(const std::string& path, const FoldAnalysis& analysis,
                       const std::vector<TensorRangeDiagnosis>* activation = nullptr);

} // namespace bg
