#pragma once
// QUANT_SPEC §9: the machine-readable fold analysis (`--json`).
#include "analysis/fold_analysis.h"

#include <string>

namespace bg {

std::string analysisToJson(const FoldAnalysis& analysis);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeAnalysisJson(const std::string& path, const FoldAnalysis& analysis);

} // namespace bg
