#pragma once
// The fusion groups of QUANT_SPEC §4, the units the integer runtime executes in integers:
// every Conv / ConvTranspose / Gemm / MatMul with a constant weight is the linear node L of a group;
// then its BatchNormalization N when (L, N) is a foldable pair (§1); then a following Relu or Clip
// with constant bounds. A linear node without a foldable BN is a group of its own (its bias b, no
// fold) and takes a following Relu/Clip by the same rule as a pair does (see docs/SPEC_NOTES.md,
// "Integer runtime").
#include "folding/fold_pair.h"
#include "model/graph.h"

#include <map>
#include <string>
#include <vector>

namespace bg {

struct FusionGroup {
    std::string name;           // L's display name (the layer name of the analysis and the fix plan)
    std::string op;             // L's op type
    LinearKind kind = LinearKind::Conv;
    size_t linearIndex = 0;     // L in graph.nodes
    std::vector<size_t> nodes;  // L, [N], [activation] in graph order
    bool hasBn = false;
    int pairIndex = -1;         // into FoldPairs::pairs when hasBn
    std::string input;          // x
    std::string groupOutput;    // y: the activation's output, else N's, else L's
    FusedActivation activation;
    // The constants: for a BN group the foldable pair itself; without BN a FoldPair holding only L's
    // fields (kind, weight, bias, channels, group, transB, weightMultiplier, linearBias), gamma/beta/
    // mean/var empty.
    FoldPair params;
};

// Groups in graph order of L. Linear nodes that cannot run in integers (non-constant or non-float
// weight, Gemm with transA or a non per-column C, 3-D convolution, ...) are left to the float path
// and listed in `floatLinear` with the reason.
struct FusionGroups {
    std::vector<FusionGroup> groups;
    std::vector<std::pair<std::string, std::string>> floatLinear;  // (node, reason)
};

FusionGroups findFusionGroups(const Graph& graph, const FoldPairs& pairs);

// Output channels per group name: the layers and channels a fix plan may name (FixPlan::checkAgainst).
std::map<std::string, int64_t> groupChannels(const FusionGroups& groups);

} // namespace bg
