#include "folding/fold_pair_finder.h"

#include "folding/linear_layer_reader.h"
#include "io/error.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace bg {

namespace {

// Thrown inside the finder only: a candidate that is not foldable, with the reason.
struct NotFoldable {
    std::string reason;
};

[[noreturn]] void reject(std::string reason) { throw NotFoldable{std::move(reason)}; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::vector<double> bnParameter(const Graph& g, const std::string& name, const std::string& what, int64_t channels,
                                const std::string& layerDesc)
{
    const Tensor* t = g.constant(name);
    if (!t)
        reject(what + " " + quoted(name) + " is not constant");
    if (!t->isFloat())
        reject(what + " " + quoted(name) + " is not a float tensor");
    if (t->numel() != channels)
        reject(what + " " + quoted(name) + " has " + std::to_string(t->numel()) + " values but " + layerDesc + " has "
               + std::to_string(channels) + " output channels");
    std::vector<double> out;
    out.reserve(static_cast<size_t>(channels));
    for (float v : t->floats())
        out.push_back(static_cast<double>(v));
    return out;
}

// Constant scalar of a Clip bound input, or nullopt when the input is absent; rejects non-constant.
std::optional<double> clipBound(const Graph& g, const Node& clip, size_t input, bool* ok)
{
    if (!clip.hasInput(input))
        return std::nullopt;
    const Tensor* t = g.constant(clip.inputs[input]);
    if (!t || t->numel() != 1) {
        *ok = false;
        return std::nullopt;
    }
    return static_cast<double>(t->toFloatVector()[0]);
}

} // namespace

FusedActivation findFusedActivation(const Graph& g, const std::string& bnOut)
{
    FusedActivation act;
    if (g.isGraphOutput(bnOut))
        return act;
    const auto consumers = g.consumersOf(bnOut);
    if (consumers.size() != 1)
        return act;
    const Node& n = g.nodes[consumers[0]];
    if (!n.inDefaultDomain() || n.inputs.empty() || n.inputs[0] != bnOut || n.outputs.size() != 1)
        return act;
    // N's output must be the data input only (not also a Clip bound).
    if (std::count(n.inputs.begin(), n.inputs.end(), bnOut) != 1)
        return act;
    if (n.opType == "Relu") {
        act.kind = FusedActivation::Kind::Relu;
        act.lo = 0.0;
    } else if (n.opType == "Clip") {
        bool ok = true;
        if (g.opset < 11) {
            // Clip-1/6: attributes, defaulting to float lowest/max, i.e. no bound.
            if (n.hasAttr("min"))
                act.lo = static_cast<double>(n.attrFloat("min"));
            if (n.hasAttr("max"))
                act.hi = static_cast<double>(n.attrFloat("max"));
        } else {
            if (auto lo = clipBound(g, n, 1, &ok))
                act.lo = *lo;
            if (auto hi = clipBound(g, n, 2, &ok))
                act.hi = *hi;
        }
        if (!ok)
            return FusedActivation{};
        act.kind = FusedActivation::Kind::Clip;
    } else {
        return act;
    }
    act.nodeIndex = static_cast<int>(consumers[0]);
    act.name = n.displayName();
    return act;
}

namespace {

std::string describe(const Node& n) { return n.opType + " " + quoted(n.displayName()); }

// N itself: inference mode, per-channel statistics, one output.
void checkBatchNorm(const Graph& g, const Node& bn)
{
    if (bn.inputs.size() < 5)
        reject("has " + std::to_string(bn.inputs.size()) + " inputs, expected 5 (X, scale, B, mean, var)");
    if (bn.attrInt("training_mode", 0) != 0)
        reject("runs in training mode (training_mode=" + std::to_string(bn.attrInt("training_mode")) + ")");
    if (g.opset < 9 && bn.attrInt("spatial", 1) != 1)
        reject("has spatial=0 (statistics per element, not per channel)");
    for (size_t k = 1; k < bn.outputs.size(); ++k)
        if (!bn.outputs[k].empty())
            reject("produces training outputs (running mean/var)");
    if (bn.outputs.empty() || bn.outputs[0].empty())
        reject("has no output");
}

// The node producing N's data input x, which must be a linear node.
size_t linearProducer(const Graph& g, const std::string& x)
{
    const int p = g.producerOf(x);
    if (p < 0)
        reject(std::string("input ") + quoted(x) + (g.isConstant(x) ? " is a constant" : " is a graph input")
               + ", not produced by a Conv/ConvTranspose/Gemm/MatMul");
    const Node& l = g.nodes[static_cast<size_t>(p)];
    if (!isLinearNode(l))
        reject("input produced by " + describe(l) + ", not a Conv/ConvTranspose/Gemm/MatMul");
    return static_cast<size_t>(p);
}

// x = L's output feeds N alone, as its data input only, and is not a graph output.
void checkOnlyFeedsBatchNorm(const Graph& g, const Node& l, const Node& bn, const std::string& x)
{
    const auto consumers = g.consumersOf(x);
    if (consumers.size() != 1)
        reject(l.opType + " output " + quoted(x) + " has " + std::to_string(consumers.size()) + " consumers");
    if (std::count(bn.inputs.begin(), bn.inputs.end(), x) != 1)
        reject(l.opType + " output " + quoted(x) + " is also a BatchNormalization parameter");
    if (g.isGraphOutput(x))
        reject(l.opType + " output " + quoted(x) + " is a graph output");
}

// A MatMul's output channels are BN's axis 1 only when the weight is the right operand of a rank-2
// product (docs/SPEC_NOTES.md, "Fold analysis" 2).
void checkMatMulLeftOperand(const Graph& g, const Node& l)
{
    if (l.opType == "MatMul" && l.hasInput(0) && l.hasInput(1) && g.isConstant(l.input(0))
        && !g.isConstant(l.input(1)))
        reject(describe(l) + ": the constant is the left operand, so its output channels are not BatchNormalization's axis 1");
}

void checkMatMulRank(const Graph& g, const Node& l, const FoldPair& pair)
{
    if (pair.kind != LinearKind::MatMul)
        return;
    // When the rank is unknown the per-channel parameter counts still have to match C.
    const ValueInfo* info = nullptr;
    if (auto it = g.valueInfo.find(pair.input); it != g.valueInfo.end())
        info = &it->second;
    for (const ValueInfo& in : g.inputs)
        if (!info && in.name == pair.input)
            info = &in;
    if (info && info->hasShape && info->dims.size() != 2)
        reject(describe(l) + " multiplies a rank-" + std::to_string(info->dims.size())
               + " input, so BatchNormalization's channel axis 1 is not the weight's output axis");
}

void readBatchNorm(const Graph& g, const Node& l, const Node& bn, FoldPair& pair)
{
    const std::string lDesc = describe(l);
    pair.gamma = bnParameter(g, bn.input(1), "scale", pair.channels, lDesc);
    pair.beta = bnParameter(g, bn.input(2), "bias", pair.channels, lDesc);
    pair.mean = bnParameter(g, bn.input(3), "mean", pair.channels, lDesc);
    pair.var = bnParameter(g, bn.input(4), "var", pair.channels, lDesc);
    pair.epsilon = static_cast<double>(bn.attrFloat("epsilon", 1e-5f));
}

void attachActivation(const Graph& g, FoldPair& pair)
{
    pair.activation = findFusedActivation(g, pair.bnOutput);
    pair.groupOutput = pair.activation.kind == FusedActivation::Kind::None
        ? pair.bnOutput
        : g.nodes[static_cast<size_t>(pair.activation.nodeIndex)].outputs[0];
}

FoldPair matchPair(const Graph& g, size_t bnIndex)
{
    const Node& bn = g.nodes[bnIndex];
    checkBatchNorm(g, bn);
    const std::string& x = bn.input(0);
    const size_t linearIndex = linearProducer(g, x);
    const Node& l = g.nodes[linearIndex];
    checkOnlyFeedsBatchNorm(g, l, bn, x);
    checkMatMulLeftOperand(g, l);

    FoldPair pair;
    if (std::string why = readLinearLayer(g, linearIndex, pair); !why.empty())
        reject(std::move(why));
    checkMatMulRank(g, l, pair);
    pair.bnIndex = bnIndex;
    pair.bnName = bn.displayName();
    pair.bnOutput = bn.outputs[0];
    readBatchNorm(g, l, bn, pair);
    attachActivation(g, pair);
    return pair;
}

} // namespace

FoldPairs findFoldPairs(const Graph& graph)
{
    FoldPairs result;
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& node = graph.nodes[n];
        if (node.opType != "BatchNormalization" || !node.inDefaultDomain())
            continue;
        try {
            result.pairs.push_back(matchPair(graph, n));
        } catch (const NotFoldable& e) {
            result.standalone.push_back(StandaloneBn{n, node.displayName(), e.reason});
        } catch (const Error& e) {
            result.standalone.push_back(StandaloneBn{n, node.displayName(), e.what()});
        } catch (const std::exception& e) {
            result.standalone.push_back(StandaloneBn{n, node.displayName(), e.what()});
        }
    }
    std::sort(result.pairs.begin(), result.pairs.end(),
              [](const FoldPair& a, const FoldPair& b) { return a.linearIndex < b.linearIndex; });
    return result;
}

} // namespace bg
