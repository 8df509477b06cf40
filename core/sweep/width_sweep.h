#pragma once
// The width sweep of issue 12: for each weight width and each bias width, the fold analysis at that
// setting (out-of-range and unfixable channels) and compareModel's three integer runs (clamp, the
// fix plan, the exact-bias reference) on one input set. Everything that does not depend on the
// widths is computed once: the calibration (the caller's RangeTable: ranges are float), the float
// model's run per sample (FloatReferenceCache) and, per weight width, the exact-bias reference (it
// runs at 32-bit registers whatever the bias width).
#include "analysis/fold_analysis.h"
#include "arithmetic/quant_settings.h"
#include "calibration/calibration_source.h"
#include "calibration/class_labels.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "sweep/sweep_row.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bg {

struct SweepOptions {
    std::vector<int> weightBits;  // each validated like QuantSettings::weightBits
    std::vector<int> biasBits;    // each validated like QuantSettings::biasBits
    FixPlan plan;                 // the "fixed" run at every setting (auto resolves per setting)
    std::optional<ClassLabels> labels;  // a labelled input set: each row gets the task accuracy
    std::function<void(size_t, size_t)> progress;  // (settings done, settings total)
    const std::atomic<bool>* cancel = nullptr;
};

struct WidthSweep {
    QuantSettings settings;            // activation bits, granularity, strategy; the widths vary
    std::string inputs;                // description of the input set
    size_t samples = 0;
    std::vector<std::string> outputs;  // graph outputs compared
    std::vector<SweepRow> rows;        // weight width major, bias width minor, in the options' order
};

// Throws bg::Error(BadSetting) for an invalid width or an empty list, and what compareModel throws.
WidthSweep sweepWidths(const ModelStructure& model, const RangeTable& ranges, CalibrationSource& inputs,
                       const QuantSettings& base, const SweepOptions& options);

// "8:32" (inclusive range), "4,8" (list) or "16"; throws bg::Error(BadSetting) naming `option`.
std::vector<int> parseWidthList(const std::string& text, const std::string& option);

} // namespace bg
