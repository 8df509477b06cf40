#include "folding/fusion_group.h"

#include "folding/fold_pair_finder.h"

#include <algorithm>
#include <map>

namespace bg {

namespace {

bool isDefaultDomain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

bool isLinearOp(const Node& n)
{
    return isDefaultDomain(n)
        && (n.opType == "Conv" || n.opType == "ConvTranspose" || n.opType == "Gemm" || n.opType == "MatMul");
}

// Fills `p` with L's own constants; returns a reason when L cannot run in integers.
std::string linearParams(const Graph& g, const Node& l, FoldPair& p)
{
    if (!l.hasInput(0) || !l.hasInput(1))
        return "missing data or weight input";
    if (g.isConstant(l.inputs[0]))
        return "the data input is a constant";
    const Tensor* w = g.constant(l.inputs[1]);
    if (!w)
        return "the weight is not a constant";
    if (!w->isFloat())
        return "the weight is not a float tensor";
    for (int64_t d : w->shape())
        if (d <= 0)
            return "the weight is empty";
    size_t realOutputs = 0;
    for (const auto& o : l.outputs)
        realOutputs += o.empty() ? 0 : 1;
    if (realOutputs != 1 || l.outputs[0].empty())
        return "it does not have exactly one output";
    p.input = l.inputs[0];
    p.weight = l.inputs[1];
    p.weightTensor = *w;
    p.linearName = l.displayName();
    p.op = l.opType;
    p.linearOutput = l.outputs[0];
    p.linearIndex = 0;
    if (l.opType == "Conv" || l.opType == "ConvTranspose") {
        p.kind = l.opType == "Conv" ? LinearKind::Conv : LinearKind::ConvTranspose;
        if (w->rank() != 3 && w->rank() != 4)
            return "only 1-D and 2-D convolutions run in integers";
        p.group = l.attrInt("group", 1);
        if (p.group < 1 || (p.kind == LinearKind::ConvTranspose && w->dim(0) % p.group != 0))
            return "bad group attribute";
        p.channels = p.kind == LinearKind::Conv ? w->dim(0) : w->dim(1) * p.group;
    } else {
        if (w->rank() != 2)
            return "the weight is not 2-D";
        if (l.opType == "Gemm") {
            p.kind = LinearKind::Gemm;
            if (l.attrInt("transA", 0) != 0)
                return "Gemm with transA=1";
            p.transB = l.attrInt("transB", 0) != 0;
            p.weightMultiplier = static_cast<double>(l.attrFloat("alpha", 1.0f));
            p.channels = p.transB ? w->dim(0) : w->dim(1);
        } else {
            p.kind = LinearKind::MatMul;
            p.channels = w->dim(1);
        }
    }
    p.linearBias.assign(static_cast<size_t>(p.channels), 0.0);
    if (l.hasInput(2)) {
        if (p.kind == LinearKind::MatMul)
            return "MatMul with a third input";
        const Tensor* b = g.constant(l.inputs[2]);
        if (!b || !b->isFloat())
            return "the bias is not a float constant";
        p.bias = l.inputs[2];
        const auto bv = b->floats();
        if (p.kind == LinearKind::Gemm) {
            const Shape& cs = b->shape();
            const bool perColumn = b->numel() == 1
                || (b->numel() == p.channels && (cs.size() == 1 || (cs.size() == 2 && cs[0] == 1)));
            if (!perColumn)
                return "Gemm bias C is not one value per output channel";
            const double beta = static_cast<double>(l.attrFloat("beta", 1.0f));
            for (int64_t c = 0; c < p.channels; ++c)
                p.linearBias[static_cast<size_t>(c)] = beta * static_cast<double>(bv[b->numel() == 1 ? 0 : c]);
        } else {
            if (b->numel() != p.channels)
                return "the bias does not hold one value per output channel";
            for (int64_t c = 0; c < p.channels; ++c)
                p.linearBias[static_cast<size_t>(c)] = static_cast<double>(bv[c]);
        }
    }
    return {};
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
        if (!isLinearOp(l))
            continue;
        FusionGroup group;
        group.name = l.displayName();
        group.op = l.opType;
        group.linearIndex = n;
        group.nodes.push_back(n);
        FoldPair own;
        const std::string reason = linearParams(graph, l, own);
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

} // namespace bg
