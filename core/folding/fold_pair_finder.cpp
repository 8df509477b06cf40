#include "folding/fold_pair_finder.h"

#include "io/error.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace bg {

namespace {

bool isDefaultDomain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

// Thrown inside the finder only: a candidate that is not foldable, with the reason.
struct NotFoldable {
    std::string reason;
};

[[noreturn]] void reject(std::string reason) { throw NotFoldable{std::move(reason)}; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// `what` names the role ("weight"), `of` the node it belongs to (" of Conv 'c1'", may be empty).
const Tensor& requireConstant(const Graph& g, const std::string& name, const std::string& what,
                              const std::string& of = "")
{
    const Tensor* t = g.constant(name);
    if (!t)
        reject(what + " " + quoted(name) + of + " is not constant");
    if (!t->isFloat())
        reject(what + " " + quoted(name) + of + " is not a float tensor");
    return *t;
}

std::vector<double> perChannel(const Graph& g, const std::string& name, const std::string& what, int64_t channels,
                               const std::string& layerDesc, const std::string& of = "")
{
    const Tensor& t = requireConstant(g, name, what, of);
    if (t.numel() != channels)
        reject(what + " " + quoted(name) + of + " has " + std::to_string(t.numel()) + " values but " + layerDesc + " has "
               + std::to_string(channels) + " output channels");
    std::vector<double> out;
    out.reserve(static_cast<size_t>(channels));
    for (float v : t.floats())
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
    if (!isDefaultDomain(n) || n.inputs.empty() || n.inputs[0] != bnOut || n.outputs.size() != 1)
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

FoldPair matchPair(const Graph& g, size_t bnIndex)
{
    const Node& bn = g.nodes[bnIndex];
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

    const std::string& x = bn.input(0);
    const int p = g.producerOf(x);
    if (p < 0)
        reject(std::string("input ") + quoted(x) + (g.isConstant(x) ? " is a constant" : " is a graph input")
               + ", not produced by a Conv/ConvTranspose/Gemm/MatMul");
    const Node& l = g.nodes[static_cast<size_t>(p)];
    const std::string lDesc = l.opType + " " + quoted(l.displayName());
    const bool linearOp = l.opType == "Conv" || l.opType == "ConvTranspose" || l.opType == "Gemm" || l.opType == "MatMul";
    if (!linearOp || !isDefaultDomain(l))
        reject("input produced by " + lDesc + ", not a Conv/ConvTranspose/Gemm/MatMul");
    const size_t realOutputs = static_cast<size_t>(
        std::count_if(l.outputs.begin(), l.outputs.end(), [](const std::string& s) { return !s.empty(); }));
    if (realOutputs != 1)
        reject(lDesc + " has " + std::to_string(realOutputs) + " outputs");
    const auto consumers = g.consumersOf(x);
    if (consumers.size() != 1)
        reject(l.opType + " output " + quoted(x) + " has " + std::to_string(consumers.size()) + " consumers");
    if (std::count(bn.inputs.begin(), bn.inputs.end(), x) != 1)
        reject(l.opType + " output " + quoted(x) + " is also a BatchNormalization parameter");
    if (g.isGraphOutput(x))
        reject(l.opType + " output " + quoted(x) + " is a graph output");

    FoldPair pair;
    pair.linearIndex = static_cast<size_t>(p);
    pair.bnIndex = bnIndex;
    pair.op = l.opType;
    pair.linearName = l.displayName();
    pair.bnName = bn.displayName();
    pair.linearOutput = x;
    pair.bnOutput = bn.outputs[0];

    // Which operand is the weight and which the data.
    size_t wInput = 1;
    if (l.opType == "Conv") {
        pair.kind = LinearKind::Conv;
    } else if (l.opType == "ConvTranspose") {
        pair.kind = LinearKind::ConvTranspose;
    } else if (l.opType == "Gemm") {
        pair.kind = LinearKind::Gemm;
        // transA only transposes the data operand: irrelevant to the fold.
        pair.transB = l.attrInt("transB", 0) != 0;
        pair.weightMultiplier = static_cast<double>(l.attrFloat("alpha", 1.0f));
    } else {
        pair.kind = LinearKind::MatMul;
    }
    if (!l.hasInput(0))
        reject(lDesc + " has no data input");
    if (!l.hasInput(wInput))
        reject(lDesc + " has no weight input");
    pair.input = l.input(0);
    pair.weight = l.input(wInput);
    if (pair.kind == LinearKind::MatMul && g.isConstant(pair.input) && !g.isConstant(pair.weight))
        reject(lDesc + ": the constant is the left operand, so its output channels are not BatchNormalization's axis 1");
    const Tensor& w = requireConstant(g, pair.weight, "weight", " of " + lDesc);
    pair.weightTensor = w;
    for (int64_t d : w.shape())
        if (d <= 0)
            reject("weight of " + lDesc + " is empty (shape " + shapeToString(w.shape()) + ")");

    const int64_t channelsFromGroup = l.attrInt("group", 1);
    switch (pair.kind) {
    case LinearKind::Conv:
        if (w.rank() < 3)
            reject("weight of " + lDesc + " has rank " + std::to_string(w.rank()) + ", expected 3 or more");
        pair.group = channelsFromGroup;
        pair.channels = w.dim(0);
        break;
    case LinearKind::ConvTranspose:
        if (w.rank() < 3)
            reject("weight of " + lDesc + " has rank " + std::to_string(w.rank()) + ", expected 3 or more");
        if (channelsFromGroup < 1 || w.dim(0) % channelsFromGroup != 0)
            reject(lDesc + ": group " + std::to_string(channelsFromGroup) + " does not divide the "
                   + std::to_string(w.dim(0)) + " input channels");
        pair.group = channelsFromGroup;
        pair.channels = w.dim(1) * channelsFromGroup;
        break;
    case LinearKind::Gemm:
    case LinearKind::MatMul:
        if (w.rank() != 2)
            reject("weight of " + lDesc + " is not 2-D (shape " + shapeToString(w.shape()) + ")");
        pair.channels = (pair.kind == LinearKind::Gemm && pair.transB) ? w.dim(0) : w.dim(1);
        break;
    }
    if (pair.kind == LinearKind::MatMul) {
        // BatchNormalization normalises axis 1; only a rank-2 product has its output channels there.
        // When the rank is unknown the per-channel parameter counts still have to match C.
        const ValueInfo* info = nullptr;
        if (auto it = g.valueInfo.find(pair.input); it != g.valueInfo.end())
            info = &it->second;
        for (const ValueInfo& in : g.inputs)
            if (!info && in.name == pair.input)
                info = &in;
        if (info && info->hasShape && info->dims.size() != 2)
            reject(lDesc + " multiplies a rank-" + std::to_string(info->dims.size())
                   + " input, so BatchNormalization's channel axis 1 is not the weight's output axis");
    }

    pair.linearBias.assign(static_cast<size_t>(pair.channels), 0.0);
    if (l.hasInput(2)) {
        pair.bias = l.input(2);
        if (pair.kind == LinearKind::Gemm) {
            const Tensor& c = requireConstant(g, pair.bias, "bias C", " of " + lDesc);
            const Shape& cs = c.shape();
            // Per output channel means broadcastable along the rows: [], [1], [N], [1,1], [1,N].
            const bool perColumn = c.numel() == 1
                || (c.numel() == pair.channels && (cs.size() == 1 || (cs.size() == 2 && cs[0] == 1)));
            if (!perColumn)
                reject("bias C of " + lDesc + " has shape " + shapeToString(cs) + ", not one value per output channel");
            const double betaAttr = static_cast<double>(l.attrFloat("beta", 1.0f));
            const auto cv = c.floats();
            for (int64_t k = 0; k < pair.channels; ++k)
                pair.linearBias[static_cast<size_t>(k)] = betaAttr * static_cast<double>(cv[c.numel() == 1 ? 0 : k]);
        } else if (pair.kind == LinearKind::MatMul) {
            reject(lDesc + " has a third input");
        } else {
            pair.linearBias = perChannel(g, pair.bias, "bias", pair.channels, lDesc, " of " + lDesc);
        }
    }

    pair.gamma = perChannel(g, bn.input(1), "scale", pair.channels, lDesc);
    pair.beta = perChannel(g, bn.input(2), "bias", pair.channels, lDesc);
    pair.mean = perChannel(g, bn.input(3), "mean", pair.channels, lDesc);
    pair.var = perChannel(g, bn.input(4), "var", pair.channels, lDesc);
    pair.epsilon = static_cast<double>(bn.attrFloat("epsilon", 1e-5f));

    pair.activation = findFusedActivation(g, pair.bnOutput);
    pair.groupOutput = pair.activation.kind == FusedActivation::Kind::None
        ? pair.bnOutput
        : g.nodes[static_cast<size_t>(pair.activation.nodeIndex)].outputs[0];
    return pair;
}

} // namespace

FoldPairs findFoldPairs(const Graph& graph)
{
    FoldPairs result;
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& node = graph.nodes[n];
        if (node.opType != "BatchNormalization" || !isDefaultDomain(node))
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
