#include "export/onnx_builder.h"

#include "io/atomic_file.h"
#include "io/error.h"

#include <onnx/onnx_pb.h>

namespace bg {

struct OnnxBuilder::Impl {
    onnx::ModelProto model;
};

static void fillTensor(onnx::TensorProto* proto, const std::string& name, const Tensor& t)
{
    proto->set_name(name);
    for (int64_t d : t.shape())
        proto->add_dims(d);
    if (t.isFloat()) {
        proto->set_data_type(onnx::TensorProto::FLOAT);
        for (float v : t.floats())
            proto->add_float_data(v);
    } else {
        proto->set_data_type(onnx::TensorProto::INT64);
        for (int64_t v : t.ints())
            proto->add_int64_data(v);
    }
}

static void fillValueInfo(onnx::ValueInfoProto* vi, const std::string& name, const std::vector<int64_t>& dims,
                          int32_t elemType, const std::vector<std::string>& params)
{
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elemType);
    if (dims.empty() && params.empty())
        return;  // unknown rank: leave the shape out
    auto* shape = tt->mutable_shape();
    for (size_t i = 0; i < dims.size(); ++i) {
        auto* d = shape->add_dim();
        if (dims[i] >= 0)
            d->set_dim_value(dims[i]);
        else if (i < params.size() && !params[i].empty())
            d->set_dim_param(params[i]);
    }
}

OnnxBuilder::OnnxBuilder(int64_t opset, std::string graphName) : impl_(std::make_unique<Impl>())
{
    impl_->model.set_ir_version(opset >= 14 ? 8 : 7);
    impl_->model.set_producer_name("biasguard");
    auto* op = impl_->model.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    impl_->model.mutable_graph()->set_name(graphName);
}

OnnxBuilder::~OnnxBuilder() = default;

OnnxBuilder& OnnxBuilder::input(const std::string& name, const std::vector<int64_t>& dims, int32_t elemType,
                                const std::vector<std::string>& dimParams)
{
    fillValueInfo(impl_->model.mutable_graph()->add_input(), name, dims, elemType, dimParams);
    return *this;
}

OnnxBuilder& OnnxBuilder::output(const std::string& name, const std::vector<int64_t>& dims, int32_t elemType)
{
    fillValueInfo(impl_->model.mutable_graph()->add_output(), name, dims, elemType, {});
    return *this;
}

OnnxBuilder& OnnxBuilder::initializer(const std::string& name, const Tensor& tensor)
{
    fillTensor(impl_->model.mutable_graph()->add_initializer(), name, tensor);
    return *this;
}

OnnxBuilder& OnnxBuilder::constantNode(const std::string& name, const Tensor& tensor)
{
    auto* n = impl_->model.mutable_graph()->add_node();
    n->set_op_type("Constant");
    n->set_name(name + "_const");
    n->add_output(name);
    auto* a = n->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    fillTensor(a->mutable_t(), name, tensor);
    return *this;
}

OnnxBuilder& OnnxBuilder::node(const std::string& opType, const std::vector<std::string>& inputs,
                               const std::vector<std::string>& outputs, const std::vector<Attr>& attrs,
                               const std::string& nodeName)
{
    auto* n = impl_->model.mutable_graph()->add_node();
    n->set_op_type(opType);
    if (!nodeName.empty())
        n->set_name(nodeName);
    for (const auto& i : inputs)
        n->add_input(i);
    for (const auto& o : outputs)
        n->add_output(o);
    for (const Attr& attr : attrs) {
        auto* a = n->add_attribute();
        a->set_name(attr.name);
        std::visit(
            [a, &attr](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, int64_t>) {
                    a->set_type(onnx::AttributeProto::INT);
                    a->set_i(v);
                } else if constexpr (std::is_same_v<T, float>) {
                    a->set_type(onnx::AttributeProto::FLOAT);
                    a->set_f(v);
                } else if constexpr (std::is_same_v<T, std::string>) {
                    a->set_type(onnx::AttributeProto::STRING);
                    a->set_s(v);
                } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
                    a->set_type(onnx::AttributeProto::INTS);
                    for (int64_t x : v)
                        a->add_ints(x);
                } else if constexpr (std::is_same_v<T, std::vector<float>>) {
                    a->set_type(onnx::AttributeProto::FLOATS);
                    for (float x : v)
                        a->add_floats(x);
                } else {
                    a->set_type(onnx::AttributeProto::TENSOR);
                    fillTensor(a->mutable_t(), attr.name, v);
                }
            },
            attr.value);
    }
    return *this;
}

OnnxBuilder& OnnxBuilder::producer(const std::string& name, const std::string& version)
{
    impl_->model.set_producer_name(name);
    impl_->model.set_producer_version(version);
    return *this;
}

std::string OnnxBuilder::serialize() const
{
    std::string bytes;
    impl_->model.SerializeToString(&bytes);
    return bytes;
}

void OnnxBuilder::save(const std::string& path) const
{
    writeFileAtomically(path, serialize());
}

} // namespace bg
