#include "integer/code_table_operator.h"

#include "integer/activation_quantizer.h"
#include "integer/code_lookup.h"
#include "runtime/float_runtime.h"
#include "runtime/kernels/parallel_ranges.h"
#include "runtime/kernels/shape_util.h"

#include <set>
#include <string>

namespace bg {

namespace {

// Operators whose output element i is a function of input element i alone, of the same float type
// and shape, with attributes only (no tensor parameter): their kernels map elements one by one.
const std::set<std::string>& elementOperators()
{
    static const std::set<std::string> ops = {
        "Abs",  "Acos",    "Acosh",    "Asin",     "Asinh",           "Atan",  "Atanh", "Ceil",     "Celu",
        "Cos",  "Cosh",    "Elu",      "Erf",      "Exp",             "Floor", "HardSigmoid", "HardSwish",
        "LeakyRelu", "Log", "Mish",    "Neg",      "Reciprocal",      "Relu",  "Round", "Selu",     "Shrink",
        "Sigmoid", "Sign", "Sin",      "Sinh",     "Softplus",        "Softsign", "Sqrt", "Tan",    "Tanh",
        "ThresholdedRelu"};
    return ops;
}

bool allConstant(const Graph& graph, const Node& node, size_t from)
{
    for (size_t i = from; i < node.inputs.size(); ++i)
        if (!node.inputs[i].empty() && !graph.isConstant(node.inputs[i]))
            return false;
    return true;
}

} // namespace

std::optional<CodeTableKind> codeTableKind(const Graph& graph, const Node& node)
{
    if (!node.inDefaultDomain() || node.inputs.empty() || node.inputs[0].empty() || graph.isConstant(node.inputs[0])
        || node.outputs.empty() || node.outputs[0].empty())
        return std::nullopt;
    for (size_t o = 1; o < node.outputs.size(); ++o)
        if (!node.outputs[o].empty())
            return std::nullopt;  // BatchNormalization's training outputs
    if (elementOperators().count(node.opType) && node.inputs.size() == 1)
        return CodeTableKind::Element;
    // Clip's bounds and BatchNormalization's statistics: constants, read as the kernel reads them.
    if (node.opType == "Clip" && allConstant(graph, node, 1))
        return CodeTableKind::Element;
    if (node.opType == "BatchNormalization" && node.inputs.size() == 5 && allConstant(graph, node, 1))
        return CodeTableKind::PerChannel;
    return std::nullopt;
}

std::vector<uint8_t> operatorCodeTable(const OpDef& def, const Graph& graph, const Node& node, CodeTableKind kind,
                                       int64_t channels, const ActivationQuant& in, const ActivationQuant& out)
{
    const int64_t T = kind == CodeTableKind::PerChannel ? channels : 1;
    // [1, T, 256]: every code's value in every channel, a tensor the kernel reads as any other.
    const std::array<float, 256> values = valueOfEveryCode(in);
    std::vector<float> tiled;
    tiled.reserve(static_cast<size_t>(T * 256));
    for (int64_t t = 0; t < T; ++t)
        tiled.insert(tiled.end(), values.begin(), values.end());
    const Tensor x(Shape{1, T, 256}, std::move(tiled));
    std::vector<const Tensor*> ins{&x};
    for (size_t i = 1; i < node.inputs.size(); ++i)
        ins.push_back(node.inputs[i].empty() ? nullptr : graph.constant(node.inputs[i]));
    const std::vector<Tensor> y = runNode(def, node, ins, graph.opset, KernelChoice::Reference);
    if (y.empty() || !y[0].isFloat() || y[0].numel() != T * 256)
        throw Error(ErrorCode::InvalidModel, node.describe(), "internal: the code table's kernel gave another shape");
    return quantizeActivation(y[0], out).values;
}

QuantActivation applyCodeTable(const QuantActivation& x, const std::vector<uint8_t>& table, CodeTableKind kind,
                               const ActivationQuant& out)
{
    QuantActivation y;
    y.shape = x.shape;
    y.zeroPoint = out.zeroPoint;
    y.bits = out.bits;
    y.values.resize(x.values.size());
    const int64_t n = static_cast<int64_t>(x.values.size());
    const uint8_t* q = x.values.data();
    uint8_t* c = y.values.data();
    if (kind == CodeTableKind::Element || x.shape.size() < 2 || n == 0) {
        parallelRanges(n, 1, [&](int64_t i0, int64_t i1) { lookupCodes(q + i0, i1 - i0, table.data(), c + i0); });
        return y;
    }
    const int64_t channels = x.shape[1], plane = n / (x.shape[0] * channels);
    parallelRanges(n / plane, plane, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p)
            lookupCodes(q + p * plane, plane, table.data() + (p % channels) * 256, c + p * plane);
    });
    return y;
}

} // namespace bg
