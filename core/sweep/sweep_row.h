#pragma once
// One setting of a width sweep: the analysis' counts and the output figures of the three integer
// runs (clamp, the fix, the exact-bias reference) per graph output.
#include "comparison/task_accuracy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bg {

struct RunFigures {
    double sqnrDb = 0.0;
    double cosine = 0.0;
    std::optional<double> top1;  // rank-2 outputs only
};

struct SweepOutputFigures {
    std::string name;  // the graph output
    RunFigures clamp;
    RunFigures fixed;
    RunFigures exactBias;
    // With labels, on the scored output: the task accuracy at this setting (exact bias: per weight width).
    std::optional<TaskAccuracy> accuracy;
};

enum class SweepRun { Clamp, Fixed, ExactBias };

struct SweepRow {
    int weightBits = 0;
    int biasBits = 0;
    int64_t outOfRange = 0;       // the analysis' out-of-range channels (§5)
    int64_t unfixable = 0;        // channels even the fix leaves above ½ output step
    int64_t channelsChanged = 0;  // channels the fix runs with another strategy than the naive fold
    std::vector<SweepOutputFigures> outputs;  // graph order
};

const RunFigures& runFigures(const SweepOutputFigures& o, SweepRun run);
// The worst of every output: lowest SQNR, lowest cosine, lowest top-1 (each taken on its own), what
// the table and the JSON show for a model with several outputs.
RunFigures worstFigures(const SweepRow& row, SweepRun run);

} // namespace bg
