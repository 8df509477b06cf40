#pragma once
// Which layers are worth fixing (issue 12's sensitivity): for each layer with out-of-range
// channels, the output SQNR gained by fixing that layer alone with the plan (every other channel
// clamp), ranked; within a layer its channels ranked by their share of that layer's error in the
// clamp run; and the smallest prefix of that ranking whose plan reaches `fraction` (90 %) of the full
// plan's gain, measured by running it. All runs share one float reference (FloatReferenceCache).
#include "analysis/fold_analysis.h"
#include "calibration/calibration_source.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bg {

struct ChannelShare {
    int64_t channel = 0;
    double share = 0.0;        // of the layer's squared error in the clamp run (propagated), 0..1
    bool outOfRange = false;   // its naive merged bias is out of range (§5)
};

struct LayerSensitivity {
    std::string layer;              // L's display name (a plan's layer key)
    int64_t outOfRange = 0;
    int64_t changedChannels = 0;    // channels the plan runs with another strategy than the naive fold
    double sqnrDb = 0.0;            // worst output's SQNR with only this layer fixed
    double gainDb = 0.0;            // sqnrDb − the clamp run's
    std::vector<ChannelShare> channels;  // by decreasing share
};

struct FixSensitivity {
    double clampSqnrDb = 0.0;   // worst output, every channel clamp
    double fixedSqnrDb = 0.0;   // worst output, the whole plan
    std::vector<LayerSensitivity> layers;  // by decreasing gain (ties: graph order)
    double fraction = 0.9;
    // The smallest number of top-ranked layers whose plan gains `fraction` of the whole plan's gain
    // (0 when the plan gains nothing), its channels, the SQNR it reaches, and whether it reached it
    // (false: even every ranked layer together falls short, e.g. the plan also changes in-range layers).
    size_t layersNeeded = 0;
    int64_t channelsNeeded = 0;
    double neededSqnrDb = 0.0;
    bool reached = false;
    FixPlan neededPlan{Strategy::Clamp};  // those layers as the plan resolves them, clamp elsewhere
};

struct SensitivityOptions {
    double fraction = 0.9;
    std::function<void(size_t, size_t)> progress;  // (comparisons done, an upper bound of the total)
    const std::atomic<bool>* cancel = nullptr;
};

// The plan with only `layers` (names) kept: their channels as `plan` runs them (Auto resolved by the
// analysis where the layer has one), every other channel clamp.
FixPlan restrictPlan(const FixPlan& plan, const std::vector<std::string>& layers, const FoldAnalysis& analysis,
                     const std::map<std::string, int64_t>& layerChannels);

// Throws what compareModel throws.
FixSensitivity analyzeFixSensitivity(const ModelStructure& model, const RangeTable& ranges,
                                     const FoldAnalysis& analysis, CalibrationSource& inputs, const FixPlan& plan,
                                     const SensitivityOptions& options = {});

} // namespace bg
