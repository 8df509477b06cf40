#pragma once
// Calibration (QUANT_SPEC §4): runs the float model over every sample of a calibration source and
// records the min/max of every float tensor (graph inputs and every node output) in a RangeTable.
// Tensors are observed through RunOptions::onNodeDone and folded at once, never kept.
#include "calibration/range_table.h"
#include "folding/fold_pair.h"
#include "io/resource_limits.h"
#include "model/graph.h"
#include "calibration/calibration_source.h"
#include "runtime/op_registry.h"

#include <atomic>
#include <cstddef>
#include <functional>

namespace bg {

struct CalibrationOptions {
    // (steps done, steps total), one step per node per sample; the last call is (total, total).
    std::function<void(size_t, size_t)> progress;
    // Polled between samples and between nodes; a set flag ends calibration with bg::Error(Cancelled).
    const std::atomic<bool>* cancel = nullptr;
    KernelChoice kernels = KernelChoice::Fast;
    // The runtime's tensor limits; before the first sample runs, the estimated memory of a run
    // (weights, peak activations) must fit limits.memoryLimit().
    ResourceLimits limits;
};

// `pairs` are the graph's fold pairs (folding/, found once per model): their pre-BN outputs also get
// per-channel ranges (§7's constant test reads them). Throws bg::Error: UnsupportedOp (before any
// sample is read), the source's errors naming the bad file, BadInput for an empty source,
// Cancelled. `source` is read from sample 0 to count()-1.
RangeTable calibrate(const Graph& graph, const FoldPairs& pairs, CalibrationSource& source,
                     const CalibrationOptions& options = {});

} // namespace bg
