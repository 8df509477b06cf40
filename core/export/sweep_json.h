#pragma once
// The width sweep as JSON (`biasguard-cli sweep --json`), exactly issue 12's layout:
// {"settings": {the fixed settings, "weight_bits": [..], "bias_bits": [..], "target" if any},
//  "rows": [{"weight_bits", "bias_bits", "out_of_range", "unfixable",
//  "clamp": {"sqnr_db", "cosine", "top1"}, "fixed": {…}, "exact_bias": {…}}],
//  "recommended": [{"weight_bits", "without_fix", "with_fix", "channels_changed"}]}.
// top1 only for rank-2 outputs; a model with several outputs has the worst figures in clamp/fixed/
// exact_bias and each output's in the row's "outputs"; a width never within is null. (The CSV has
// each row's channels_changed and the inputs are printed; the JSON keeps to the keys.)
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <string>
#include <vector>

namespace bg {

std::string sweepToJson(const WidthSweep& sweep, const std::vector<BiasWidthRecommendation>& recommended);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeSweepJson(const std::string& path, const WidthSweep& sweep,
                    const std::vector<BiasWidthRecommendation>& recommended);

} // namespace bg
