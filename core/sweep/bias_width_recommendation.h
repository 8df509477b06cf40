#pragma once
// Issue 12's recommendation, per weight width, over the rows of a width sweep:
// - without fix: the smallest bias width at which clamp is within `toleranceDb` of the exact-bias
//   reference, and
// - with fix: the smallest at which the fix (auto or the plan) is within it,
// plus the channels the fix changes at that width. "Within" holds for a row when, for EVERY graph
// output, SQNR(exact) − SQNR(run) ≤ toleranceDb (several outputs: the recommendation is on the
// worst). A width is recommended only when every wider width of the sweep is within as well: an
// output SQNR measured on a few samples moves by a dB with any change, so a narrow width that
// passes by accident below one that fails is not the register the model needs (docs/SPEC_NOTES.md).
#include "sweep/sweep_row.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

// The figure a run must come within `toleranceDb` of. Normally the exact-bias reference (every bias
// held exactly: what any bias fix can reach). When the sweep has a width at which no channel is out
// of range, the naive fold there loses nothing to the register either, and what separates it from
// the exact-bias run is the two pipelines' rounding (a dB or three with a few samples), not the
// register: the reference is then the lower of the two, per output (docs/SPEC_NOTES.md, sweep 2a).
enum class ReferenceKind { ExactBias, OverflowFreeClamp };

struct BiasWidthRecommendation {
    int weightBits = 0;
    ReferenceKind reference = ReferenceKind::ExactBias;  // where the worst output's reference came from
    double referenceSqnrDb = 0.0;                       // the worst output's reference SQNR
    std::optional<int> withoutFix;   // none: clamp is never within over the swept widths
    std::optional<int> withFix;
    int64_t channelsChanged = 0;     // of the fix at withFix (0 without one)
};

// True when `run` is within `toleranceDb` of the exact-bias reference on every output of `row`.
// Equal figures (also both +inf) are within; a NaN figure is not.
bool withinExactBias(const SweepRow& row, SweepRun run, double toleranceDb);

// The reference SQNR per output (graph order) for the rows of one weight width (any order), and
// whether the overflow-free naive fold set the worst output's. Empty rows: empty.
std::vector<double> referenceSqnr(const std::vector<const SweepRow*>& rowsOfOneWeightWidth,
                                  ReferenceKind* worstKind = nullptr);
std::vector<double> referenceSqnr(const std::vector<SweepRow>& rows, int weightBits,
                                  ReferenceKind* worstKind = nullptr);

// True when `run` is within `toleranceDb` of `reference` (per output, as referenceSqnr gives it)
// on every output of `row`. Equal figures (also both +inf) are within; a NaN figure is not.
bool withinReference(const SweepRow& row, SweepRun run, const std::vector<double>& reference, double toleranceDb);

// One recommendation per weight width, in the order the rows first name them. Rows may come in
// any order and need not be contiguous in the bias width.
std::vector<BiasWidthRecommendation> recommendBiasWidths(const std::vector<SweepRow>& rows, double toleranceDb = 1.0);

} // namespace bg
