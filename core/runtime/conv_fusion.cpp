#include "runtime/conv_fusion.h"

#include "runtime/kernels/batch_norm_inference.h"

#include <algorithm>
#include <cmath>
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

namespace {

using Readers = std::unordered_map<std::string, std::vector<size_t>>;

// The only reader of `t` (after `after`), when it has exactly one and t is not a graph output.
std::optional<size_t> soleReader(const Graph& graph, const Readers& readers, const std::string& t, size_t after)
{
    if (graph.isGraphOutput(t))
        return std::nullopt;
    const auto it = readers.find(t);
    if (it == readers.end() || it->second.size() != 1 || it->second[0] <= after)
        return std::nullopt;
    return it->second[0];
}

// `node` is a binary `op` of `t` and a scalar float constant: that constant and whether it is the
// first operand.
struct ScalarOperand {
    float value;
    bool first;
};
std::optional<ScalarOperand> scalarOperand(const Graph& graph, const Node& node, const char* op, const std::string& t)
{
    if (node.opType != op || !node.inDefaultDomain() || node.inputs.size() != 2 || node.outputs.size() != 1)
        return std::nullopt;
    for (size_t i : {size_t{0}, size_t{1}}) {
        if (node.inputs[i] != t || node.inputs[1 - i] == t)
            continue;
        const Tensor* c = graph.constant(node.inputs[1 - i]);
        // Rank at most 1: broadcasting it never changes the output's shape (the Conv's is rank 3+).
        if (c && c->isFloat() && c->numel() == 1 && c->rank() <= 1)
            return ScalarOperand{c->floats()[0], i == 1};
    }
    return std::nullopt;
}

// Mul / Add by a scalar (either operand), Sub / Div of a scalar (the scalar second).
std::optional<ConvPostOp> scalarArithmetic(const Graph& graph, const Node& node, const std::string& t)
{
    if (auto m = scalarOperand(graph, node, "Mul", t))
        return ConvPostOp{ConvPostOpKind::Mul, m->value, 0.0f, {}};
    if (auto a = scalarOperand(graph, node, "Add", t))
        return ConvPostOp{ConvPostOpKind::Add, a->value, 0.0f, {}};
    if (auto s = scalarOperand(graph, node, "Sub", t); s && !s->first)
        return ConvPostOp{ConvPostOpKind::Sub, s->value, 0.0f, {}};
    if (auto d = scalarOperand(graph, node, "Div", t); d && !d->first)
        return ConvPostOp{ConvPostOpKind::Div, d->value, 0.0f, {}};
    return std::nullopt;
}

// A BatchNormalization of `t` (its data input) in inference form with constant parameters of one
// value per Conv output channel: its fast form as a ChannelMul and a ChannelAdd (the
// BatchNormalization kernel's coefficients, so the fused run keeps the unfused fast run's bits).
// Anything the kernel would refuse (training mode, other outputs, spatial=0) stays unfused and
// gets the kernel's message.
std::optional<ConvPostOps> batchNormPostOps(const Graph& graph, const Node& node, const std::string& t, int64_t channels)
{
    if (node.opType != "BatchNormalization" || !node.inDefaultDomain() || node.inputs.size() != 5 || node.inputs[0] != t
        || std::count(node.inputs.begin(), node.inputs.end(), t) != 1 || batchNormUnsupported(node, graph.opset))
        return std::nullopt;
    const float* params[4] = {};
    for (size_t i = 0; i < 4; ++i) {
        const Tensor* c = graph.constant(node.inputs[i + 1]);
        if (!c || !c->isFloat() || c->numel() != channels)
            return std::nullopt;
        params[i] = c->floats().data();
    }
    const double epsilon = node.attrFloat("epsilon", 1e-5f);
    ConvPostOp mul{ConvPostOpKind::ChannelMul, 0.0f, 0.0f, {}};
    ConvPostOp add{ConvPostOpKind::ChannelAdd, 0.0f, 0.0f, {}};
    for (int64_t c = 0; c < channels; ++c) {
        const BatchNormCoefficient k = batchNormFastCoefficient(params[0][c], params[1][c], params[2][c], params[3][c], epsilon);
        mul.channel.push_back(k.a);
        add.channel.push_back(k.b);
    }
    return ConvPostOps{std::move(mul), std::move(add)};
}

// x · Clip(x + 3, 0, 6) / 6 starting at `t`: Add(t, 3) -> Clip(0, 6) -> Mul(t, ·) -> Div(·, 6) (or
// Mul by 1/6). Returns the nodes (in graph order) and the Div's output.
struct Pattern {
    std::vector<size_t> nodes;
    std::vector<std::string> inside;
    std::string output;
};
std::optional<Pattern> writtenOutHardSwish(const Graph& graph, const Readers& readers, const std::string& t, size_t after)
{
    if (graph.isGraphOutput(t))
        return std::nullopt;
    const auto it = readers.find(t);
    if (it == readers.end() || it->second.size() != 2 || it->second[0] <= after)
        return std::nullopt;
    const size_t add = it->second[0];
    const size_t mul = it->second[1];
    const auto three = scalarOperand(graph, graph.nodes[add], "Add", t);
    if (!three || three->value != 3.0f)
        return std::nullopt;
    const std::string& shifted = graph.nodes[add].outputs[0];
    const std::optional<size_t> clip = soleReader(graph, readers, shifted, add);
    if (!clip || graph.nodes[*clip].opType != "Clip" || graph.nodes[*clip].inputs[0] != shifted)
        return std::nullopt;
    const std::optional<ConvPostOp> bounds = fusableActivation(graph, graph.nodes[*clip]);
    if (!bounds || bounds->alpha != 0.0f || bounds->beta != 6.0f)
        return std::nullopt;
    const std::string& clipped = graph.nodes[*clip].outputs[0];
    const Node& m = graph.nodes[mul];
    if (soleReader(graph, readers, clipped, *clip) != mul || m.opType != "Mul" || !m.inDefaultDomain()
        || m.inputs.size() != 2 || m.outputs.size() != 1
        || !((m.inputs[0] == t && m.inputs[1] == clipped) || (m.inputs[0] == clipped && m.inputs[1] == t)))
        return std::nullopt;
    const std::string& product = m.outputs[0];
    const std::optional<size_t> div = soleReader(graph, readers, product, mul);
    if (!div)
        return std::nullopt;
    const Node& d = graph.nodes[*div];
    const auto six = scalarOperand(graph, d, "Div", product);
    const auto sixth = scalarOperand(graph, d, "Mul", product);
    if (!((six && !six->first && six->value == 6.0f) || (sixth && sixth->value == 1.0f / 6.0f)))
        return std::nullopt;
    return Pattern{{add, *clip, mul, *div}, {shifted, clipped, product}, d.outputs[0]};
}

} // namespace

std::vector<std::optional<ConvFusion>> findConvFusions(const Graph& graph)
{
    std::vector<std::optional<ConvFusion>> fusions(graph.nodes.size());
    // Readers per tensor, once (Graph::consumersOf per Conv would be quadratic in the graph size).
    Readers readersOf;
    for (size_t n = 0; n < graph.nodes.size(); ++n)
        for (const std::string& in : graph.nodes[n].inputs)
            if (!in.empty() && (readersOf[in].empty() || readersOf[in].back() != n))
                readersOf[in].push_back(n);
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& conv = graph.nodes[n];
        if (conv.opType != "Conv" || !conv.inDefaultDomain() || conv.outputs.size() != 1 || conv.outputs[0].empty())
            continue;
        ConvFusion f;
        // Output channels from the constant weights [M, C/g, k...]: a BatchNormalization fuses only
        // with one parameter per channel.
        const Tensor* weights = conv.inputs.size() > 1 ? graph.constant(conv.inputs[1]) : nullptr;
        const int64_t channels = weights && weights->rank() >= 3 ? weights->dim(0) : -1;
        std::string t = conv.outputs[0];
        size_t last = n;
        bool activated = false;  // one activation per chain (see the header: oneDNN 2.6's injector map)
        while (true) {
            if (auto hs = activated ? std::nullopt : writtenOutHardSwish(graph, readersOf, t, last)) {
                activated = true;
                f.postOps.push_back(ConvPostOp{ConvPostOpKind::HardSwish, 0.0f, 0.0f, {}});
                f.fusedNodes.insert(f.fusedNodes.end(), hs->nodes.begin(), hs->nodes.end());
                f.inside.push_back(t);
                f.inside.insert(f.inside.end(), hs->inside.begin(), hs->inside.end());
                t = hs->output;
                last = hs->nodes.back();
                continue;
            }
            const std::optional<size_t> r = soleReader(graph, readersOf, t, last);
            if (!r)
                break;
            const Node& next = graph.nodes[*r];
            if (auto bn = channels > 0 ? batchNormPostOps(graph, next, t, channels) : std::nullopt) {
                f.postOps.insert(f.postOps.end(), bn->begin(), bn->end());
                f.fusedNodes.push_back(*r);
                f.inside.push_back(t);
                t = next.outputs[0];
                last = *r;
                continue;
            }
            std::optional<ConvPostOp> op = scalarArithmetic(graph, next, t);
            if (!op && !activated && next.inputs[0] == t
                && std::none_of(next.inputs.begin() + 1, next.inputs.end(), [&](const std::string& i) { return i == t; })) {
                op = fusableActivation(graph, next);  // t must be the data input only (not also a Clip bound)
                activated = op.has_value();
            }
            if (!op)
                break;
            f.postOps.push_back(*op);
            f.fusedNodes.push_back(*r);
            f.inside.push_back(t);
            t = next.outputs[0];
            last = *r;
        }
        if (f.postOps.empty())
            continue;
        f.output = t;
        fusions[n] = std::move(f);
    }
    return fusions;
}

} // namespace bg
