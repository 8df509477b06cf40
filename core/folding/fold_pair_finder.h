#pragma once
// Finds the foldable pairs of QUANT_SPEC §1 and says, for every other BatchNormalization, why it is
// not foldable. Never throws: a malformed candidate becomes a standalone BN with the reason.
#include "folding/fold_pair.h"
#include "model/graph.h"

namespace bg {

FoldPairs findFoldPairs(const Graph& graph);

// The activation closing a fusion group after `tensor` (N's output, or L's when L has no foldable
// BN): a Relu, or a Clip with constant bounds, when `tensor` feeds only it and is not a graph output.
// Kind::None otherwise. The integer runtime's groups use the same rule.
FusedActivation findFusedActivation(const Graph& graph, const std::string& tensor);

} // namespace bg
