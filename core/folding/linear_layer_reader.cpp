#include "folding/linear_layer_reader.h"

#include "io/error.h"

#include <algorithm>

namespace bg {

namespace {

// Thrown inside the reader only; readLinearLayer turns it into its returned reason.
struct Unreadable {
    std::string reason;
};

[[noreturn]] void refuse(std::string reason) { throw Unreadable{std::move(reason)}; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

LinearKind kindOf(const std::string& opType)
{
    if (opType == "Conv")
        return LinearKind::Conv;
    if (opType == "ConvTranspose")
        return LinearKind::ConvTranspose;
    return opType == "Gemm" ? LinearKind::Gemm : LinearKind::MatMul;
}

const Tensor& constantFloat(const Graph& g, const std::string& name, const std::string& what, const std::string& of)
{
    const Tensor* t = g.constant(name);
    if (!t)
        refuse(what + " " + quoted(name) + of + " is not constant");
    if (!t->isFloat())
        refuse(what + " " + quoted(name) + of + " is not a float tensor");
    return *t;
}

void readInputsAndOutput(const Node& l, const std::string& desc, FoldPair& layer)
{
    const auto realOutputs = std::count_if(l.outputs.begin(), l.outputs.end(),
                                           [](const std::string& s) { return !s.empty(); });
    if (realOutputs != 1 || l.outputs[0].empty())
        refuse(desc + " has " + std::to_string(realOutputs) + " outputs");
    if (!l.hasInput(0))
        refuse(desc + " has no data input");
    if (!l.hasInput(1))
        refuse(desc + " has no weight input");
    layer.input = l.input(0);
    layer.weight = l.input(1);
    layer.linearOutput = l.outputs[0];
}

void readWeight(const Graph& g, const std::string& desc, FoldPair& layer)
{
    const Tensor& w = constantFloat(g, layer.weight, "weight", " of " + desc);
    for (int64_t d : w.shape())
        if (d <= 0)
            refuse("weight of " + desc + " is empty (shape " + shapeToString(w.shape()) + ")");
    layer.weightTensor = g.sharedConstant(layer.weight);
}

// Output channels and how W's elements map to them (§1: Conv axis 0; ConvTranspose axis 1 times
// group; Gemm axis 0 if transB else 1; MatMul axis 1), with Gemm's alpha and transA.
void readChannelAxis(const Node& l, const std::string& desc, FoldPair& layer)
{
    const Tensor& w = *layer.weightTensor;
    if (layer.kind == LinearKind::Conv || layer.kind == LinearKind::ConvTranspose) {
        if (w.rank() < 3)
            refuse("weight of " + desc + " has rank " + std::to_string(w.rank()) + ", expected 3 or more");
        layer.group = l.attrInt("group", 1);
        if (layer.group < 1 || (layer.kind == LinearKind::ConvTranspose && w.dim(0) % layer.group != 0))
            refuse(desc + ": group " + std::to_string(layer.group) + " does not divide the "
                   + std::to_string(w.dim(0)) + " input channels");
        layer.channels = layer.kind == LinearKind::Conv ? w.dim(0) : w.dim(1) * layer.group;
        return;
    }
    if (w.rank() != 2)
        refuse("weight of " + desc + " is not 2-D (shape " + shapeToString(w.shape()) + ")");
    if (layer.kind == LinearKind::Gemm) {
        // transA transposes only the data operand: it leaves the channel axis and the fold alone.
        layer.transA = l.attrInt("transA", 0) != 0;
        layer.transB = l.attrInt("transB", 0) != 0;
        layer.weightMultiplier = static_cast<double>(l.attrFloat("alpha", 1.0f));
    }
    layer.channels = (layer.kind == LinearKind::Gemm && layer.transB) ? w.dim(0) : w.dim(1);
}

// Gemm's C broadcast along the rows: one value per output channel when its shape is [], [1], [N],
// [1,1] or [1,N]. The bias is beta·C.
void readGemmBias(const Graph& g, const Node& l, const std::string& desc, FoldPair& layer)
{
    const Tensor& c = constantFloat(g, layer.bias, "bias C", " of " + desc);
    const Shape& cs = c.shape();
    const bool perColumn = c.numel() == 1
        || (c.numel() == layer.channels && (cs.size() == 1 || (cs.size() == 2 && cs[0] == 1)));
    if (!perColumn)
        refuse("bias C of " + desc + " has shape " + shapeToString(cs) + ", not one value per output channel");
    const double beta = static_cast<double>(l.attrFloat("beta", 1.0f));
    const auto cv = c.floats();
    for (int64_t k = 0; k < layer.channels; ++k)
        layer.linearBias[static_cast<size_t>(k)] = beta * static_cast<double>(cv[c.numel() == 1 ? 0 : k]);
}

void readBias(const Graph& g, const Node& l, const std::string& desc, FoldPair& layer)
{
    layer.linearBias.assign(static_cast<size_t>(layer.channels), 0.0);
    if (!l.hasInput(2))
        return;
    layer.bias = l.input(2);
    if (layer.kind == LinearKind::MatMul)
        refuse(desc + " has a third input");
    if (layer.kind == LinearKind::Gemm) {
        readGemmBias(g, l, desc, layer);
        return;
    }
    const Tensor& b = constantFloat(g, layer.bias, "bias", " of " + desc);
    if (b.numel() != layer.channels)
        refuse("bias " + quoted(layer.bias) + " of " + desc + " has " + std::to_string(b.numel()) + " values but "
               + desc + " has " + std::to_string(layer.channels) + " output channels");
    const auto bv = b.floats();
    for (int64_t k = 0; k < layer.channels; ++k)
        layer.linearBias[static_cast<size_t>(k)] = static_cast<double>(bv[k]);
}

void read(const Graph& g, size_t index, FoldPair& layer)
{
    const Node& l = g.nodes[index];
    const std::string desc = l.opType + " " + quoted(l.displayName());
    if (!isLinearNode(l))
        refuse(desc + " is not a Conv/ConvTranspose/Gemm/MatMul");
    layer.linearIndex = index;
    layer.kind = kindOf(l.opType);
    layer.op = l.opType;
    layer.linearName = l.displayName();
    readInputsAndOutput(l, desc, layer);
    readWeight(g, desc, layer);
    readChannelAxis(l, desc, layer);
    readBias(g, l, desc, layer);
}

} // namespace

bool isLinearNode(const Node& node)
{
    return node.inDefaultDomain()
        && (node.opType == "Conv" || node.opType == "ConvTranspose" || node.opType == "Gemm"
            || node.opType == "MatMul");
}

std::string readLinearLayer(const Graph& graph, size_t index, FoldPair& layer)
{
    try {
        read(graph, index, layer);
        return {};
    } catch (const Unreadable& e) {
        return e.reason;
    } catch (const std::exception& e) {  // bg::Error from a malformed attribute, bad_alloc, ...
        return e.what();
    }
}

} // namespace bg
