#pragma once
// What a run of a graph will hold at its peak, from the static shapes alone (Graph::valueInfo, the
// given input shapes for the graph inputs): the calibration and the comparison check this against
// ResourceLimits::memoryLimit() before they start, so that a model too large for the machine is
// refused with a message in a second instead of swapping or being OOM-killed an hour in. Tensors
// whose shape is not static count 0 (an underestimate; MemoryGuard catches them while running).
#include "model/graph.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace bg {

struct RunMemoryEstimate {
    int64_t constants = 0;  // bytes of the graph's constants (already held: the loaded model)
    int64_t peakLive = 0;   // the largest sum of live activations, freed after their last reader
    int64_t kept = 0;       // tensors the run returns (graph outputs, `keep`)
};

// Follows FloatRuntime's release order: a tensor lives from its producer to its last reader.
RunMemoryEstimate estimateRunMemory(const Graph& graph, const std::map<std::string, Shape>& inputShapes,
                                    const std::set<std::string>& keep = {});

// Throws bg::Error(OverLimit) naming graph.path and `what` ("calibration") when `bytes` > `limit`.
void requireMemory(const Graph& graph, int64_t bytes, int64_t limit, const std::string& what);

} // namespace bg
