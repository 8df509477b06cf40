#pragma once
// The fold analysis as CSV: one row per channel with the layer, the channel and every per-channel
// field of QUANT_SPEC §9 (RFC 4180 quoting; ±inf/NaN as inf, -inf, nan; doubles at %.17g).
#include "analysis/fold_analysis.h"

#include <string>

namespace bg {

std::string analysisToCsv(const FoldAnalysis& analysis);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeAnalysisCsv(const std::string& path, const FoldAnalysis& analysis);

} // namespace bg
