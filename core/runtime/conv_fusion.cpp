#include "runtime/conv_fusion.h"

#include <limits>
#include <string>
#include <unordered_map>

namespace bg {

namespace {

// A scalar float constant input of `node`, or nothing (then Clip is left unfused).
std::optional<float> constantScalar(const Graph& graph, const Node& node, size_t i)
{
    const Tensor* t = graph.constant(node.input(i));
    if (!t || !t->isFloat() || t->numel() != 1)
        return std::nullopt;
    return t->floats()[0];
}

} // namespace

std::optional<ConvPostOp> fusableActivation(const Graph& graph, const Node& node)
{
    if (!node.inDefaultDomain() || node.inputs.empty() || node.outputs.size() != 1)
        return std::nullopt;
    ConvPostOp act;
    if (node.opType == "Relu") {
        act.kind = ConvPostOpKind::Relu;
    } else if (node.opType == "HardSwish") {
        act.kind = ConvPostOpKind::HardSwish;
    } else if (node.opType == "Sigmoid") {
        act.kind = ConvPostOpKind::Sigmoid;
    } else if (node.opType == "HardSigmoid") {
        act.kind = ConvPostOpKind::HardSigmoid;
        act.alpha = node.attrFloat("alpha", 0.2f);
        act.beta = node.attrFloat("beta", 0.5f);
    } else if (node.opType == "Clip") {
        act.kind = ConvPostOpKind::Clip;
        act.alpha = -std::numeric_limits<float>::infinity();
        act.beta = std::numeric_limits<float>::infinity();
        const int64_t opset = graph.opset;
        if (opset < 11) {
            act.alpha = node.attrFloat("min", std::numeric_limits<float>::lowest());
            act.beta = node.attrFloat("max", std::numeric_limits<float>::max());
        } else {
            for (size_t i : {size_t{1}, size_t{2}}) {
                if (!node.hasInput(i))
                    continue;
                const std::optional<float> v = constantScalar(graph, node, i);
                if (!v)
                    return std::nullopt;
                (i == 1 ? act.alpha : act.beta) = *v;
            }
        }
        if (!(act.alpha <= act.beta))
            return std::nullopt;  // lo > hi (every value hi) or NaN bounds: the Clip kernel's business
    } else {
        return std::nullopt;
    }
    return act;
}

std::vector<std::optional<ConvFusion>> findConvFusions(const Graph& graph)
{
    std::vector<std::optional<ConvFusion>> fusions(graph.nodes.size());
    // Readers per tensor, once (Graph::consumersOf per Conv would be quadratic in the graph size).
    std::unordered_map<std::string, std::vector<size_t>> readersOf;
    for (size_t n = 0; n < graph.nodes.size(); ++n)
        for (const std::string& in : graph.nodes[n].inputs)
            if (!in.empty() && (readersOf[in].empty() || readersOf[in].back() != n))
                readersOf[in].push_back(n);
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& conv = graph.nodes[n];
        if (conv.opType != "Conv" || !conv.inDefaultDomain() || conv.outputs.size() != 1)
            continue;
        const std::string& y = conv.outputs[0];
        if (y.empty() || graph.isGraphOutput(y))
            continue;
        const auto it = readersOf.find(y);
        if (it == readersOf.end() || it->second.size() != 1)
            continue;
        const std::vector<size_t>& readers = it->second;
        if (readers[0] <= n)
            continue;
        const Node& act = graph.nodes[readers[0]];
        // The Conv's output must be the activation's data input only (not also a Clip bound).
        bool onlyData = act.inputs[0] == y;
        for (size_t i = 1; i < act.inputs.size(); ++i)
            onlyData = onlyData && act.inputs[i] != y;
        if (!onlyData)
            continue;
        if (const std::optional<ConvPostOp> a = fusableActivation(graph, act))
            fusions[n] = ConvFusion{readers[0], *a};
    }
    return fusions;
}

} // namespace bg
