#pragma once
// Finds the foldable pairs of QUANT_SPEC §1 and says, for every other BatchNormalization, why it is
// not foldable. Never throws: a malformed candidate becomes a standalone BN with the reason.
#include "analysis/fold_pair.h"
#include "model/graph.h"

namespace bg {

FoldPairs findFoldPairs(const Graph& graph);

} // namespace bg
