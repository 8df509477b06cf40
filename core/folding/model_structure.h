#pragma once
// A loaded model with the structure BiasGuard works on, found once from the graph alone: the
// foldable pairs (§1) and the fusion groups (§4). It is the first value of the data flow
// (docs/ARCHITECTURE.md): the calibrator, the analysis, the integer runtimes, the comparison and the
// exports all read these instead of finding them again. Shared (immutable) between the CLI's
// stages and the GUI's jobs through std::shared_ptr<const ModelStructure>.
#include "folding/fold_pair.h"
#include "folding/fusion_group.h"
#include "model/graph.h"

#include <memory>
#include <string>

namespace bg {

struct ModelStructure {
    Graph graph;
    FoldPairs pairs;
    FusionGroups groups;
};

// Finds the pairs and the groups of `graph` (taken over, not copied: weights can be large).
std::shared_ptr<const ModelStructure> makeModelStructure(Graph graph);
// loadModel(path) and makeModelStructure; throws loadModel's bg::Error naming the file.
std::shared_ptr<const ModelStructure> loadModelStructure(const std::string& path);
// The graph of a shared structure, sharing its ownership (for code that needs only the graph).
std::shared_ptr<const Graph> sharedGraph(const std::shared_ptr<const ModelStructure>& structure);

} // namespace bg
