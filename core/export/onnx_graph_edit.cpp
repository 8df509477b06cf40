#include "export/onnx_graph_edit.h"

#include "io/error.h"

namespace bg {

OnnxNameSet::OnnxNameSet(const onnx::GraphProto& g)
{
    for (const auto& t : g.initializer())
        used_.insert(t.name());
    for (const auto& n : g.node()) {
        for (const auto& o : n.output())
            used_.insert(o);
        if (!n.name().empty())
            used_.insert(n.name());
    }
    for (const auto& i : g.input())
        used_.insert(i.name());
}

std::string OnnxNameSet::fresh(const std::string& base)
{
    std::string name = base;
    for (int k = 2; used_.count(name); ++k)
        name = base + "_" + std::to_string(k);
    used_.insert(name);
    return name;
}

namespace {

template <typename T>
void addInitializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                    const std::vector<T>& values, int32_t type)
{
    onnx::TensorProto* t = g.add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (int64_t d : dims)
        t->add_dims(d);
    // raw_data is little-endian, as is every machine BiasGuard builds for (x86-64).
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
}

} // namespace

void addFloatInitializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<float>& values)
{
    addInitializer(g, name, dims, values, onnx::TensorProto::FLOAT);
}

void addInt8Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                        const std::vector<int8_t>& values)
{
    addInitializer(g, name, dims, values, onnx::TensorProto::INT8);
}

void addUint8Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<uint8_t>& values)
{
    addInitializer(g, name, dims, values, onnx::TensorProto::UINT8);
}

void addInt32Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<int32_t>& values)
{
    addInitializer(g, name, dims, values, onnx::TensorProto::INT32);
}

std::vector<int64_t> channelBroadcastDims(const FoldPair& layer)
{
    std::vector<int64_t> dims{layer.channels};
    if (layer.kind == LinearKind::Conv || layer.kind == LinearKind::ConvTranspose)
        for (int d = 2; d < layer.weightTensor->rank(); ++d)
            dims.push_back(1);
    return dims;
}

int producerOf(const onnx::GraphProto& g, const std::string& output)
{
    for (int i = 0; i < g.node_size(); ++i)
        for (const auto& o : g.node(i).output())
            if (o == output)
                return i;
    return -1;
}

namespace {

onnx::AttributeProto& attribute(onnx::NodeProto& node, const std::string& name)
{
    for (auto& a : *node.mutable_attribute())
        if (a.name() == name)
            return a;
    onnx::AttributeProto* a = node.add_attribute();
    a->set_name(name);
    return *a;
}

} // namespace

void setFloatAttribute(onnx::NodeProto& node, const std::string& name, float value)
{
    onnx::AttributeProto& a = attribute(node, name);
    a.set_type(onnx::AttributeProto::FLOAT);
    a.set_f(value);
}

void setIntAttribute(onnx::NodeProto& node, const std::string& name, int64_t value)
{
    onnx::AttributeProto& a = attribute(node, name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
}

void dropUnused(onnx::GraphProto& g, const std::set<std::string>& candidates)
{
    std::set<std::string> used;
    for (const auto& n : g.node())
        for (const auto& in : n.input())
            used.insert(in);
    for (const auto& out : g.output())
        used.insert(out.name());
    auto dead = [&](const std::string& name) { return candidates.count(name) && !used.count(name); };
    google::protobuf::RepeatedPtrField<onnx::TensorProto> keep;
    for (const auto& t : g.initializer())
        if (!dead(t.name()))
            *keep.Add() = t;
    g.mutable_initializer()->Swap(&keep);
    google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> inputs;
    for (const auto& in : g.input())
        if (!dead(in.name()))
            *inputs.Add() = in;
    g.mutable_input()->Swap(&inputs);
    // Exporters such as paddle2onnx keep weights in Constant nodes rather than initializers.
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    for (const auto& n : g.node())
        if (!(n.op_type() == "Constant" && n.output_size() == 1 && dead(n.output(0))))
            *nodes.Add() = n;
    g.mutable_node()->Swap(&nodes);
}

void dropStaleValueInfo(onnx::GraphProto& g)
{
    std::set<std::string> exists;
    for (const auto& n : g.node())
        for (const auto& o : n.output())
            exists.insert(o);
    for (const auto& i : g.input())
        exists.insert(i.name());
    for (const auto& t : g.initializer())
        exists.insert(t.name());
    google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> keep;
    for (const auto& v : g.value_info())
        if (exists.count(v.name()))
            *keep.Add() = v;
    g.mutable_value_info()->Swap(&keep);
}

void requireEmbeddedFloat32(const onnx::GraphProto& g, const std::string& modelPath, const std::set<std::string>& weights)
{
    for (const auto& t : g.initializer()) {
        if (t.data_location() == onnx::TensorProto::EXTERNAL)
            throw Error(ErrorCode::UnsupportedType, modelPath,
                        "initializer '" + t.name() + "' keeps its data in an external file; exporting such models is not supported yet");
        if (weights.count(t.name()) && t.data_type() != onnx::TensorProto::FLOAT)
            throw Error(ErrorCode::UnsupportedType, modelPath,
                        "weight '" + t.name() + "' is not float32; exporting such models is not supported yet");
    }
}

} // namespace bg
