#include "folding/fusion_group.h"

#include "folding/fold_pair_finder.h"
#include "folding/linear_layer_reader.h"

#include <algorithm>
#include <map>

namespace bg {

namespace {

// Why an integer kernel cannot run L; empty when one can. The integer kernels take 1-D and 2-D
// convolutions and Gemm with transA = 0 (docs/SPEC_NOTES.md, "Integer kernels" 7); their input
// must be an activation with a calibrated range, not a constant. Such a layer still folds (the
// analysis reports it as a pair); the integer pipeline runs it as a float operator.
std::string integerKernelRefusal(const Graph& g, const FoldPair& layer)
{
    if (g.isConstant(layer.input))
        return "the data input is a constant";
    const bool conv = layer.kind == LinearKind::Conv || layer.kind == LinearKind::ConvTranspose;
    if (conv && layer.weightTensor->rank() > 4)
        return "only 1-D and 2-D convolutions run in integers";
    if (layer.kind == LinearKind::Gemm && layer.transA)
        return "Gemm with transA=1";
    return {};
}

// L's own constants, or why L stays a float operator.
std::string readGroupLinear(const Graph& g, size_t index, FoldPair& layer)
{
    if (std::string why = readLinearLayer(g, index, layer); !why.empty())
        return why;
    return integerKernelRefusal(g, layer);
}

} // namespace

FusionGroups findFusionGroups(const Graph& graph, const FoldPairs& pairs)
{
    std::map<size_t, size_t> pairOfLinear;
    for (size_t p = 0; p < pairs.pairs.size(); ++p)
        pairOfLinear[pairs.pairs[p].linearIndex] = p;

    FusionGroups result;
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& l = graph.nodes[n];
        if (!isLinearNode(l))
            continue;
        FusionGroup group;
        group.name = l.displayName();
        group.op = l.opType;
        group.linearIndex = n;
        group.nodes.push_back(n);
        FoldPair own;
        const std::string reason = readGroupLinear(graph, n, own);
        if (!reason.empty()) {
            result.floatLinear.emplace_back(l.displayName(), reason);
            continue;
        }
        if (auto it = pairOfLinear.find(n); it != pairOfLinear.end()) {
            const FoldPair& pair = pairs.pairs[it->second];
            group.hasBn = true;
            group.pairIndex = static_cast<int>(it->second);
            group.params = pair;
            group.nodes.push_back(pair.bnIndex);
            group.activation = pair.activation;
            group.groupOutput = pair.groupOutput;
        } else {
            own.linearIndex = n;
            own.groupOutput = own.linearOutput;
            own.activation = findFusedActivation(graph, own.linearOutput);
            if (own.activation.kind != FusedActivation::Kind::None)
                own.groupOutput = graph.nodes[static_cast<size_t>(own.activation.nodeIndex)].outputs[0];
            group.params = own;
            group.activation = own.activation;
            group.groupOutput = own.groupOutput;
        }
        group.kind = group.params.kind;
        group.input = group.params.input;
        if (group.activation.kind != FusedActivation::Kind::None)
            group.nodes.push_back(static_cast<size_t>(group.activation.nodeIndex));
        result.groups.push_back(std::move(group));
    }
    return result;
}

std::map<std::string, int64_t> groupChannels(const FusionGroups& groups)
{
    std::map<std::string, int64_t> channels;
    for (const FusionGroup& g : groups.groups)
        channels[g.name] = g.params.channels;
    return channels;
}

} // namespace bg
