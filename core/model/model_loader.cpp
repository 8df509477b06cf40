#include "model/model_loader.h"

#include "io/error.h"
#include "io/file_reader.h"
#include "model/proto_tensor.h"
#include "model/proto_wire.h"
#include "model/topo_sort.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <limits>
#include <filesystem>
#include <new>
#include <optional>
#include <set>

namespace bg {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 18;

std::string readModelFile(const std::string& path)
{
    FileReadOptions options;
    options.kind = "an .onnx file";
    options.maxBytes = INT_MAX;  // protobuf's limit for one message
    options.overLimitCode = ErrorCode::FileUnreadable;
    options.overLimitReason = "the file is over 2 GB; such models must keep their weights in external data files";
    return readWholeFile(path, options);
}

void parseModel(const std::string& bytes, const std::string& path, const ResourceLimits& limits,
                onnx::ModelProto& model)
{
    if (bytes.empty())
        throw Error(ErrorCode::NotOnnx, path, "the file is empty (0 bytes), not an ONNX model");
    if (bytes.size() > static_cast<size_t>(INT_MAX))
        throw Error(ErrorCode::FileUnreadable, path, "the model is over 2 GB, which protobuf cannot read");
    const WireScan scan = scanModelProtoWire(bytes);
    if (scan.verdict == WireScan::Verdict::NotModel)
        throw Error(ErrorCode::NotOnnx, path, "not an ONNX model (" + scan.detail + ")");
    if (scan.verdict == WireScan::Verdict::Truncated)
        throw Error(ErrorCode::Truncated, path,
                    "the file is truncated: " + scan.detail + "; it was probably not copied or downloaded completely");
    if (scan.graphNodes > limits.maxNodes)
        throw Error(ErrorCode::OverLimit, path,
                    "the graph has " + std::to_string(scan.graphNodes) + " nodes, over the limit of "
                        + std::to_string(limits.maxNodes));
    if (!model.ParseFromString(bytes))
        throw Error(ErrorCode::NotOnnx, path, "not a valid ONNX model: the protobuf data inside is damaged");
    if (!model.has_graph())
        throw Error(ErrorCode::InvalidModel, path,
                    "the file holds no graph; it is not an ONNX model (or an empty one)");
}

onnx::AttributeProto::AttributeType attributeType(const onnx::AttributeProto& a)
{
    if (a.type() != onnx::AttributeProto::UNDEFINED)
        return a.type();
    // Very old exporters leave `type` unset; the filled field tells.
    if (a.has_f()) return onnx::AttributeProto::FLOAT;
    if (a.has_i()) return onnx::AttributeProto::INT;
    if (a.has_s()) return onnx::AttributeProto::STRING;
    if (a.has_t()) return onnx::AttributeProto::TENSOR;
    if (a.has_g()) return onnx::AttributeProto::GRAPH;
    if (a.floats_size()) return onnx::AttributeProto::FLOATS;
    if (a.ints_size()) return onnx::AttributeProto::INTS;
    if (a.strings_size()) return onnx::AttributeProto::STRINGS;
    if (a.graphs_size()) return onnx::AttributeProto::GRAPHS;
    return onnx::AttributeProto::UNDEFINED;
}

const char* protoAttributeTypeName(onnx::AttributeProto::AttributeType t)
{
    switch (t) {
    case onnx::AttributeProto::FLOAT: return "float";
    case onnx::AttributeProto::INT: return "int";
    case onnx::AttributeProto::STRING: return "string";
    case onnx::AttributeProto::TENSOR: return "tensor";
    case onnx::AttributeProto::GRAPH: return "graph";
    case onnx::AttributeProto::SPARSE_TENSOR: return "sparse tensor";
    case onnx::AttributeProto::TYPE_PROTO: return "type";
    case onnx::AttributeProto::FLOATS: return "floats";
    case onnx::AttributeProto::INTS: return "ints";
    case onnx::AttributeProto::STRINGS: return "strings";
    case onnx::AttributeProto::TENSORS: return "tensors";
    case onnx::AttributeProto::GRAPHS: return "graphs";
    case onnx::AttributeProto::SPARSE_TENSORS: return "sparse tensors";
    case onnx::AttributeProto::TYPE_PROTOS: return "types";
    default: return "undefined";
    }
}

Attribute decodeAttribute(const onnx::AttributeProto& a, onnx::AttributeProto::AttributeType type,
                          const TensorDecodeContext& ctx)
{
    Attribute out;
    switch (type) {
    case onnx::AttributeProto::FLOAT:
        out.kind = Attribute::Kind::Float;
        out.f = a.f();
        break;
    case onnx::AttributeProto::INT:
        out.kind = Attribute::Kind::Int;
        out.i = a.i();
        break;
    case onnx::AttributeProto::STRING:
        out.kind = Attribute::Kind::String;
        out.s = a.s();
        break;
    case onnx::AttributeProto::TENSOR:
        try {
            out.t = std::make_shared<const Tensor>(tensorFromProto(a.t(), ctx));
            out.kind = Attribute::Kind::Tensor;
        } catch (const Error& e) {
            // A string tensor attribute only matters to an operator we do not support anyway.
            if (e.code() != ErrorCode::UnsupportedType)
                throw;
            out.kind = Attribute::Kind::Other;
        }
        break;
    case onnx::AttributeProto::FLOATS:
        out.kind = Attribute::Kind::Floats;
        out.floats.assign(a.floats().begin(), a.floats().end());
        break;
    case onnx::AttributeProto::INTS:
        out.kind = Attribute::Kind::Ints;
        out.ints.assign(a.ints().begin(), a.ints().end());
        break;
    case onnx::AttributeProto::STRINGS:
        out.kind = Attribute::Kind::Strings;
        out.strings.assign(a.strings().begin(), a.strings().end());
        break;
    case onnx::AttributeProto::GRAPH:
    case onnx::AttributeProto::GRAPHS:
        out.kind = Attribute::Kind::Graph;
        break;
    default:
        out.kind = Attribute::Kind::Other;
        break;
    }
    return out;
}

// The attribute types ONNX defines for this op at this opset; a mismatch (strides given as a float)
// is reported at load time with the node's name rather than deep inside a kernel.
void checkAttributeTypes(const onnx::NodeProto& proto, const Node& node, int64_t opset, const std::string& path)
{
    if (!node.inDefaultDomain())
        return;
    const onnx::OpSchema* schema =
        onnx::OpSchemaRegistry::Schema(node.opType, static_cast<int>(opset), onnx::ONNX_DOMAIN);
    if (!schema)
        return;
    for (const auto& a : proto.attribute()) {
        auto it = schema->attributes().find(a.name());
        if (it == schema->attributes().end())
            continue;
        const auto have = attributeType(a);
        if (have != it->second.type && !a.has_ref_attr_name())
            throw Error(ErrorCode::BadAttribute, path + ": " + node.describe(),
                        "attribute '" + a.name() + "' is " + protoAttributeTypeName(have) + ", ONNX defines it as "
                            + protoAttributeTypeName(it->second.type));
    }
}

// A Constant node's value as a tensor.
Tensor constantValue(const onnx::NodeProto& proto, const TensorDecodeContext& ctx, const std::string& subject)
{
    for (const auto& a : proto.attribute()) {
        const auto type = attributeType(a);
        if (a.name() == "value") {
            if (type != onnx::AttributeProto::TENSOR)
                throw Error(ErrorCode::BadAttribute, subject, "'value' must be a tensor");
            return tensorFromProto(a.t(), ctx);
        }
        if (a.name() == "value_float" && type == onnx::AttributeProto::FLOAT)
            return Tensor::scalar(a.f());
        if (a.name() == "value_int" && type == onnx::AttributeProto::INT)
            return Tensor::scalarInt(a.i());
        if (a.name() == "value_floats" && type == onnx::AttributeProto::FLOATS) {
            Tensor t(Shape{a.floats_size()}, std::vector<float>(a.floats().begin(), a.floats().end()));
            return t;
        }
        if (a.name() == "value_ints" && type == onnx::AttributeProto::INTS) {
            Tensor t(Shape{a.ints_size()}, std::vector<int64_t>(a.ints().begin(), a.ints().end()));
            return t;
        }
        if (a.name() == "value_string" || a.name() == "value_strings")
            throw Error(ErrorCode::UnsupportedType, subject, "string constants are not supported");
        if (a.name() == "sparse_value")
            throw Error(ErrorCode::UnsupportedType, subject, "sparse tensor constants are not supported");
    }
    throw Error(ErrorCode::InvalidModel, subject, "the Constant node has no value attribute");
}

// Tensor-typed ValueInfo; `what` ("input", "output") only for messages. Non-tensor types (sequence,
// map, optional) throw UnsupportedType when `strict`, else give nullopt.
std::optional<ValueInfo> valueInfoFromProto(const onnx::ValueInfoProto& vi, const std::string& path,
                                            const char* what, bool strict)
{
    ValueInfo info;
    info.name = vi.name();
    if (!vi.has_type())
        return info;  // type unknown: allowed, nothing is checked against it
    const onnx::TypeProto& type = vi.type();
    if (!type.has_tensor_type()) {
        if (!strict)
            return std::nullopt;
        const char* kind = type.has_sequence_type() ? "a sequence"
            : type.has_map_type()                   ? "a map"
            : type.has_optional_type()              ? "an optional"
            : type.has_sparse_tensor_type()         ? "a sparse tensor"
                                                    : "not a tensor";
        throw Error(ErrorCode::UnsupportedType, path,
                    std::string(what) + " '" + vi.name() + "' is " + kind + "; only tensors are supported");
    }
    const auto& tt = type.tensor_type();
    info.elemType = tt.elem_type();
    if (strict && (info.elemType == onnx::TensorProto::STRING || info.elemType == onnx::TensorProto::COMPLEX64
                   || info.elemType == onnx::TensorProto::COMPLEX128))
        throw Error(ErrorCode::UnsupportedType, path,
                    std::string(what) + " '" + vi.name() + "' is a " + tensorProtoTypeName(info.elemType)
                        + " tensor; only numeric and bool tensors are supported");
    if (tt.has_shape()) {
        info.hasShape = true;
        for (const auto& d : tt.shape().dim()) {
            Dim dim;
            if (d.has_dim_value())
                dim.value = d.dim_value() >= 0 ? d.dim_value() : -1;
            else if (d.has_dim_param())
                dim.param = d.dim_param();
            info.dims.push_back(dim);
        }
    }
    return info;
}

ValueInfo valueInfoOfConstant(const std::string& name, const Tensor& t)
{
    ValueInfo info;
    info.name = name;
    info.elemType = t.elemType();
    info.hasShape = true;
    for (int64_t d : t.shape())
        info.dims.push_back(Dim{d, {}});
    return info;
}

// ONNX 1.12's convPoolShapeInference (Debian's libonnx) takes the kernel rank from the weight when
// kernel_shape is absent and then indexes the input-rank-sized dilations/strides/pads with it: a
// Conv whose weight has a higher rank than its input reads out of bounds and crashes the process
// (found by tests/fuzz, fuzz_regressions/model/conv_weight_rank_above_input). Giving ONNX the
// kernel_shape the weight implies turns that into its own "kernel_shape size mismatch" error (an
// exception, caught below). A weight that is not a constant leaves the kernel rank unknown: then
// shape inference is skipped, as it is an aid only. So is it for a graph with subgraphs (If, Loop,
// Scan: operators BiasGuard does not run), whose inference in ONNX 1.12 crashes on a damaged body
// (ScanInferenceFunctionOpset9, fuzz_regressions/model/scan_damaged_body). Only the copy ONNX
// infers on is changed. A stride of 0 or less makes the same function divide by zero (SIGFPE,
// fuzz_regressions/model/maxpool_stride_zero): skipped too; the kernels refuse such a node.
bool prepareForShapeInference(onnx::ModelProto& model, const Graph& graph)
{
    static const std::set<std::string> weighted = {"Conv", "ConvTranspose", "ConvInteger", "QLinearConv"};
    for (const auto& node : model.graph().node()) {
        if (node.op_type() == "If" || node.op_type() == "Loop" || node.op_type() == "Scan")
            return false;
        for (const auto& a : node.attribute()) {
            if (a.has_g() || a.graphs_size() > 0 || a.type() == onnx::AttributeProto::GRAPH
                || a.type() == onnx::AttributeProto::GRAPHS)
                return false;
            if (a.name() == "strides" || a.name() == "group" || a.name() == "dilations") {
                for (int64_t v : a.ints())
                    if (v <= 0)
                        return false;
                if (a.has_i() && a.i() <= 0)
                    return false;
            }
        }
    }
    for (auto& node : *model.mutable_graph()->mutable_node()) {
        if (!isDefaultDomain(node.domain()) || !weighted.count(node.op_type()))
            continue;
        bool hasKernelShape = false;
        for (const auto& a : node.attribute())
            hasKernelShape = hasKernelShape || a.name() == "kernel_shape";
        if (hasKernelShape)
            continue;
        const int wIndex = node.op_type() == "QLinearConv" ? 3 : 1;
        const Tensor* w = node.input_size() > wIndex ? graph.constant(node.input(wIndex)) : nullptr;
        if (!w)
            return false;
        auto* a = node.add_attribute();
        a->set_name("kernel_shape");
        a->set_type(onnx::AttributeProto::INTS);
        for (int k = 2; k < w->rank(); ++k)
            a->add_ints(w->dim(k));
    }
    return true;
}

void inferShapes(onnx::ModelProto& model, Graph& graph, const std::string& path)
{
    if (!prepareForShapeInference(model, graph))
        return;
    try {
        onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                           onnx::ShapeInferenceOptions(false, 0, false));
    } catch (...) {
        // Shape inference is an aid for reports, never a reason to refuse a model: keep what the
        // file declares.
        return;
    }
    for (const auto& vi : model.graph().value_info()) {
        try {
            if (auto info = valueInfoFromProto(vi, path, "value", false))
                graph.valueInfo[info->name] = *info;
        } catch (const Error&) {
        }
    }
    for (const auto& vi : model.graph().output())
        if (auto info = valueInfoFromProto(vi, path, "output", false); info && info->hasShape)
            graph.valueInfo[info->name] = *info;
}

// The model's header and its opsets: exactly one default-domain opset BiasGuard supports.
void readOpsets(const onnx::ModelProto& model, Graph& graph, const std::string& path)
{
    graph.path = path;
    graph.producerName = model.producer_name();
    graph.producerVersion = model.producer_version();
    graph.irVersion = model.ir_version();
    graph.graphName = model.graph().name();

    bool haveDefault = false;
    for (const auto& op : model.opset_import()) {
        graph.opsets[op.domain()] = op.version();
        if (isDefaultDomain(op.domain())) {
            graph.opset = op.version();
            haveDefault = true;
        }
    }
    if (!haveDefault && model.opset_import_size() > 0) {
        // Only other domains (training, ML, vendor ops): nothing BiasGuard can run.
        std::string domains;
        for (const auto& op : model.opset_import())
            domains += (domains.empty() ? "'" : ", '") + op.domain() + "'";
        throw Error(ErrorCode::UnsupportedOp, path,
                    "the model uses only operators of domain(s) " + domains
                        + "; BiasGuard supports the default ONNX domain");
    }
    if (!haveDefault)
        throw Error(ErrorCode::InvalidModel, path,
                    "the model imports no opset of the default ONNX domain, so its operators are undefined");
    if (graph.opset > kMaxOpset || graph.opset < kMinOpset)
        throw Error(ErrorCode::UnsupportedOp, path,
                    "the model uses ONNX opset " + std::to_string(graph.opset) + "; supported are opsets "
                        + std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
}

// How tensors of this model are decoded: external data relative to its folder, under the size limit.
struct TensorContextFactory {
    std::string baseDir;
    int64_t maxTensorBytes;
    TensorDecodeContext operator()(const std::string& subject) const { return {subject, baseDir, maxTensorBytes}; }
};

void readInitializers(const onnx::GraphProto& g, Graph& graph, const std::string& path,
                      const TensorContextFactory& tensorContext)
{
    if (g.sparse_initializer_size() > 0)
        throw Error(ErrorCode::UnsupportedType, path,
                    "sparse initializer '" + g.sparse_initializer(0).values().name() + "' is not supported");
    for (const auto& init : g.initializer()) {
        if (init.name().empty())
            throw Error(ErrorCode::InvalidModel, path, "an initializer has no name");
        if (graph.constants.count(init.name()))
            throw Error(ErrorCode::InvalidModel, path, "initializer '" + init.name() + "' is defined twice");
        graph.constants.emplace(init.name(), std::make_shared<const Tensor>(tensorFromProto(init, tensorContext(path))));
        graph.constantOrigins[init.name()] = ConstantOrigin::Initializer;
    }
}

// The graph inputs that are not constants (their names) and the graph outputs.
std::set<std::string> readGraphInputsOutputs(const onnx::GraphProto& g, Graph& graph, const std::string& path)
{
    std::set<std::string> inputNames;
    for (const auto& in : g.input()) {
        if (graph.constants.count(in.name()))
            continue;  // IR < 4: initializers are also listed as inputs; they are constants here
        if (!inputNames.insert(in.name()).second)
            throw Error(ErrorCode::InvalidModel, path, "graph input '" + in.name() + "' is declared twice");
        graph.inputs.push_back(*valueInfoFromProto(in, path, "graph input", true));
    }
    for (const auto& out : g.output())
        graph.outputs.push_back(*valueInfoFromProto(out, path, "graph output", true));
    return inputNames;
}

// A Constant node of the default domain becomes a constant of the graph, not a node.
void readConstantNode(const onnx::NodeProto& np, const Node& node, Graph& graph, const std::set<std::string>& inputNames,
                      const std::string& subject, const TensorContextFactory& tensorContext)
{
    if (node.outputs.size() != 1 || node.outputs[0].empty())
        throw Error(ErrorCode::InvalidModel, subject, "a Constant node must have exactly one output");
    const std::string& name = node.outputs[0];
    if (graph.constants.count(name) || inputNames.count(name))
        throw Error(ErrorCode::InvalidModel, subject,
                    "tensor '" + name + "' is produced twice (it is also an initializer or graph input)");
    Tensor value = constantValue(np, tensorContext(subject), subject);
    graph.constants.emplace(name, std::make_shared<const Tensor>(std::move(value)));
    graph.constantOrigins[name] = ConstantOrigin::ConstantNode;
    graph.constantNodeNames[name] = node.name;
}

// Every node but the Constant ones, in file order, with its attributes decoded and type-checked.
std::vector<Node> readNodes(const onnx::GraphProto& g, Graph& graph, const std::set<std::string>& inputNames,
                            const std::string& path, const TensorContextFactory& tensorContext)
{
    std::vector<Node> nodes;
    nodes.reserve(static_cast<size_t>(g.node_size()));
    for (const auto& np : g.node()) {
        Node node;
        node.name = np.name();
        node.opType = np.op_type();
        node.domain = np.domain();
        node.inputs.assign(np.input().begin(), np.input().end());
        node.outputs.assign(np.output().begin(), np.output().end());
        const std::string subject = path + ": " + node.describe();
        if (node.opType.empty())
            throw Error(ErrorCode::InvalidModel, subject, "the node has no operator type");
        if (node.opType == "Constant" && node.inDefaultDomain()) {
            readConstantNode(np, node, graph, inputNames, subject, tensorContext);
            continue;
        }
        checkAttributeTypes(np, node, graph.opset, path);
        for (const auto& a : np.attribute()) {
            if (a.name().empty())
                throw Error(ErrorCode::InvalidModel, subject, "an attribute has no name");
            node.attributes[a.name()] =
                decodeAttribute(a, attributeType(a), tensorContext(subject + " attribute '" + a.name() + "'"));
        }
        nodes.push_back(std::move(node));
    }
    return nodes;
}

// The nodes in topological order; every graph output must come from a node, an input or a constant.
void orderNodes(std::vector<Node> nodes, Graph& graph, const std::set<std::string>& inputNames, const std::string& path)
{
    std::set<std::string> available = inputNames;
    for (const auto& [name, tensor] : graph.constants)
        available.insert(name);
    graph.nodes = topologicalSort(std::move(nodes), available, path);

    std::set<std::string> produced = available;
    for (const Node& node : graph.nodes)
        produced.insert(node.outputs.begin(), node.outputs.end());
    for (const ValueInfo& out : graph.outputs)
        if (!produced.count(out.name))
            throw Error(ErrorCode::MissingTensor, path,
                        "graph output '" + out.name + "' is not produced by any node, input or constant");
}

// Product of the known dims (unknown ones count as 1), saturating instead of overflowing.
int64_t knownElements(const ValueInfo& info)
{
    int64_t n = 1;
    for (const Dim& d : info.dims) {
        if (!d.known() || d.value == 0)
            continue;
        if (n > std::numeric_limits<int64_t>::max() / d.value)
            return std::numeric_limits<int64_t>::max();
        n *= d.value;
    }
    return n;
}

// Every input and activation whose static shape is known must fit maxTensorElements: a model that
// declares a 2^31-element tensor, or whose shape arithmetic on constants reaches one, is refused
// at load instead of allocating it at run time (the kernels check again for shapes only known then).
void checkStaticSizes(const Graph& graph, const std::string& path, const ResourceLimits& limits)
{
    for (const auto& [name, info] : graph.valueInfo) {
        if (!info.hasShape || graph.constants.count(name))
            continue;  // constants were checked in bytes when they were decoded
        const int64_t n = knownElements(info);
        if (n > limits.maxTensorElements) {
            std::string dims;
            for (const Dim& d : info.dims)
                dims += (dims.empty() ? "" : ",") + (d.known() ? std::to_string(d.value) : d.param.empty() ? "?" : d.param);
            throw Error(ErrorCode::TensorTooLarge, path,
                        "tensor '" + name + "' has shape [" + dims + "] (" + std::to_string(n)
                            + " elements or more), over the limit of " + std::to_string(limits.maxTensorElements)
                            + " elements per tensor");
        }
    }
}

// Static types and shapes: declared ones first, inferred ones over them, constants exactly.
void collectValueInfo(onnx::ModelProto& model, Graph& graph, const std::string& path, const LoadOptions& options)
{
    for (const auto& vi : model.graph().value_info())
        if (auto info = valueInfoFromProto(vi, path, "value", false))
            graph.valueInfo[info->name] = *info;
    if (options.inferShapes)
        inferShapes(model, graph, path);
    for (const ValueInfo& info : graph.outputs)  // inference already merged declared output shapes
        if (!graph.valueInfo.count(info.name))
            graph.valueInfo[info.name] = info;
    for (const ValueInfo& info : graph.inputs)
        graph.valueInfo[info.name] = info;
    for (const auto& [name, tensor] : graph.constants)
        graph.valueInfo[name] = valueInfoOfConstant(name, *tensor);
}

Graph buildGraph(onnx::ModelProto& model, const std::string& path, const LoadOptions& options)
{
    Graph graph;
    readOpsets(model, graph, path);
    const onnx::GraphProto& g = model.graph();
    const TensorContextFactory tensorContext{
        fs::path(path).has_parent_path() ? fs::path(path).parent_path().string() : ".", options.limits.maxTensorBytes};
    readInitializers(g, graph, path, tensorContext);
    const std::set<std::string> inputNames = readGraphInputsOutputs(g, graph, path);
    std::vector<Node> nodes = readNodes(g, graph, inputNames, path, tensorContext);
    orderNodes(std::move(nodes), graph, inputNames, path);
    collectValueInfo(model, graph, path, options);
    checkStaticSizes(graph, path, options.limits);
    return graph;
}

} // namespace

Graph loadModelFromBytes(const std::string& bytes, const std::string& path, const LoadOptions& options)
{
    try {
        onnx::ModelProto model;
        parseModel(bytes, path, options.limits, model);
        return buildGraph(model, path, options);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::TensorTooLarge, path, "out of memory while loading the model");
    } catch (const std::exception& e) {
        throw Error(ErrorCode::InvalidModel, path, std::string("cannot load the model: ") + e.what());
    } catch (...) {
        throw Error(ErrorCode::InvalidModel, path, "cannot load the model (unknown failure)");
    }
}

Graph loadModel(const std::string& path, const LoadOptions& options)
{
    std::string bytes;
    try {
        bytes = readModelFile(path);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::FileUnreadable, path, "not enough memory to read the file");
    } catch (const std::exception& e) {
        throw Error(ErrorCode::FileUnreadable, path, e.what());
    }
    return loadModelFromBytes(bytes, path, options);
}

} // namespace bg
