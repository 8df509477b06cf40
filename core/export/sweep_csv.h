#pragma once
// The width sweep as CSV (`biasguard-cli sweep --csv`), RFC 4180 quoting; doubles at %.17g,
// ±inf/NaN as inf, -inf, nan; an empty top1 for outputs that are not rank 2.
#include "sweep/width_sweep.h"

#include <string>

namespace bg {

// One line per row and output: weight_bits, bias_bits, output, out_of_range, unfixable,
// channels_changed and sqnr_db/cosine/top1 of clamp, fixed and exact_bias.
std::string sweepToCsv(const WidthSweep& sweep);
// Atomic write; throws bg::Error(WriteFailed) naming the path.
void writeSweepCsv(const std::string& path, const WidthSweep& sweep);

} // namespace bg
