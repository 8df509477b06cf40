#include "export/qdq_export.h"

#include "export/export_names.h"
#include "export/fixed_model_export.h"
#include "export/onnx_graph_edit.h"
#include "export/onnx_model_check.h"
#include "io/atomic_file.h"
#include "io/error.h"
#include "io/file_reader.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace bg {

namespace {

// Per-axis DequantizeLinear (the `axis` attribute) exists from opset 13 on.
constexpr int64_t kQdqOpset = 13;

int64_t defaultDomainOpset(const onnx::ModelProto& model)
{
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            return o.version();
    return 0;
}

// The axis of W that holds the output channels (QUANT_SPEC §1), for DequantizeLinear's `axis`.
int64_t weightChannelAxis(const FoldPair& p)
{
    switch (p.kind) {
    case LinearKind::Conv:
        return 0;
    case LinearKind::ConvTranspose:
        return 1;
    case LinearKind::Gemm:
        return p.transB ? 0 : 1;
    case LinearKind::MatMul:
        return 1;
    }
    return 0;
}

// The model at opset 13, by ONNX's version converter. Its adapters need the ranks of the tensors
// they rewrite (Softmax 12→13 for one), which shape inference cannot give where a model computes
// a Reshape's shape from its input's dynamic size (paddle2onnx does). So the converter runs on a
// probe that declares the ranks the calibration saw, and whose unknown input dims are set (1 for
// the batch, 64 otherwise: sizes only the ranks matter for); the converted model gets the original
// inputs, outputs and value_info back.
onnx::ModelProto convertedToOpset13(const onnx::ModelProto& model, const std::string& path, const RangeTable& ranges)
{
    onnx::ModelProto probe = model;
    std::set<std::string> declared;
    for (const auto& v : model.graph().value_info())
        declared.insert(v.name());
    for (const auto& [name, range] : ranges) {
        if (range.rank < 0 || declared.count(name))
            continue;
        onnx::ValueInfoProto* v = probe.mutable_graph()->add_value_info();
        v->set_name(name);
        auto* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(onnx::TensorProto::FLOAT);
        auto* shape = t->mutable_shape();
        for (int d = 0; d < range.rank; ++d)
            shape->add_dim();
    }
    for (auto& in : *probe.mutable_graph()->mutable_input()) {
        if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape())
            continue;
        auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
        for (int d = 0; d < shape->dim_size(); ++d)
            if (!shape->dim(d).has_dim_value())
                shape->mutable_dim(d)->set_dim_value(d == 0 ? 1 : 64);
    }
    onnx::ModelProto converted;
    try {
        onnx::shape_inference::InferShapes(probe, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions{false, 0, true});
        converted = onnx::version_conversion::ConvertVersion(probe, static_cast<int>(kQdqOpset));
    } catch (const std::exception& e) {
        throw Error(ErrorCode::UnsupportedOp, path,
                    "the QDQ model needs opset 13 (per-axis DequantizeLinear) and ONNX's version converter cannot "
                    "convert this opset-" + std::to_string(defaultDomainOpset(model)) + " model: " + e.what());
    }
    onnx::GraphProto& g = *converted.mutable_graph();
    *g.mutable_input() = model.graph().input();
    *g.mutable_output() = model.graph().output();
    *g.mutable_value_info() = model.graph().value_info();
    return converted;
}

bool allEqual(const std::vector<float>& v)
{
    return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) == v.end();
}

onnx::NodeProto makeNode(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                         const std::string& output)
{
    onnx::NodeProto n;
    n.set_op_type(op);
    n.set_name(name);
    for (const auto& in : inputs)
        n.add_input(in);
    n.add_output(output);
    return n;
}

// Whether weight codes of n_w bits are stored as uint8 with zero point 128 instead of int8 with 0.
// On x86 CPUs without VNNI (AVX2, AVX-512 without VNNI) ONNX Runtime multiplies uint8 activations by
// int8 weights with VPMADDUBSW, which saturates the sum of two neighbouring products to int16: with
// 8-bit codes (|q| ≤ 127, 2·255·127 > 32767) its result then depends on the CPU (measured on an
// AVX2-only EPYC: the classifier at W8 had 2–28 % of its logits within one step of BiasGuard's,
// 92–100 % on a VNNI CPU). Codes of n_w ≤ 7 bits (|q| ≤ 63, 2·255·63 < 32767) cannot saturate it;
// uint8 weights take ONNX Runtime's U8U8 kernels, which widen to 16 bits and are exact on every
// CPU. The dequantized weights are the same codes times the same scales (docs/SPEC_NOTES.md).
bool storesWeightsUnsigned(int weightBits)
{
    return weightBits >= 8;
}

// Codes in [-127, 127] as uint8 q + 128 (zero point 128): the storage of storesWeightsUnsigned and
// of the integer chains' weights.
std::vector<uint8_t> offsetCodes(const std::vector<int8_t>& codes)
{
    std::vector<uint8_t> shifted(codes.size());
    for (size_t i = 0; i < codes.size(); ++i)
        shifted[i] = static_cast<uint8_t>(static_cast<int>(codes[i]) + 128);
    return shifted;
}

// Builds the new nodes and initializers of the QDQ graph.
class QdqWriter {
public:
    QdqWriter(onnx::GraphProto& g, const IntegerRuntime& rt, const std::string& modelPath)
        : g_(g), rt_(rt), modelPath_(modelPath), names_(g)
    {
    }

    // DequantizeLinear of integer codes with per-channel (or, where all channels share it, one) scale
    // and zero point 0: int8 weights, int32 biases; with `unsignedStorage`, int8 codes as uint8 code
    // + 128 with zero point 128 (storesWeightsUnsigned). Returns the dequantized tensor's name.
    template <typename Int>
    std::string dequantizedConstant(const std::string& base, const std::vector<int64_t>& dims,
                                    const std::vector<Int>& codes, const std::vector<float>& scales, int64_t axis,
                                    std::vector<onnx::NodeProto>& out, bool unsignedStorage = false)
    {
        const std::string q = names_.fresh(base + "_quantized"), s = names_.fresh(base + "_scale"),
                          z = names_.fresh(base + "_zero_point"), y = names_.fresh(base);
        const bool offset = std::is_same_v<Int, int8_t> && unsignedStorage;
        if constexpr (std::is_same_v<Int, int8_t>) {
            if (offset)
                addUint8Initializer(g_, q, dims, offsetCodes(codes));
            else
                addInt8Initializer(g_, q, dims, codes);
        } else {
            addInt32Initializer(g_, q, dims, codes);
        }
        const bool perTensor = allEqual(scales);
        const std::vector<int64_t> sd = perTensor ? std::vector<int64_t>{} : std::vector<int64_t>{int64_t(scales.size())};
        addFloatInitializer(g_, s, sd, perTensor ? std::vector<float>{scales.front()} : scales);
        const size_t n = perTensor ? 1 : scales.size();
        if (offset)
            addUint8Initializer(g_, z, sd, std::vector<uint8_t>(n, 128));
        else if constexpr (std::is_same_v<Int, int8_t>)
            addInt8Initializer(g_, z, sd, std::vector<int8_t>(n, 0));
        else
            addInt32Initializer(g_, z, sd, std::vector<int32_t>(n, 0));
        onnx::NodeProto& dq = out.emplace_back(makeNode("DequantizeLinear", names_.fresh(base + "_DequantizeLinear"), {q, s, z}, y));
        if (!perTensor)
            setIntAttribute(dq, "axis", axis);
        return y;
    }

    void rewriteGroups()
    {
        const FusionGroups& groups = rt_.groups();
        for (size_t gi = 0; gi < groups.groups.size(); ++gi)
            rewriteGroup(groups.groups[gi], rt_.quantizedGroups()[gi]);
        google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
        for (int i = 0; i < g_.node_size(); ++i) {
            for (const auto& n : before_[i])
                *nodes.Add() = n;
            if (!removed_.count(i))
                *nodes.Add() = g_.node(i);
            for (const auto& n : after_[i])
                *nodes.Add() = n;
        }
        g_.mutable_node()->Swap(&nodes);
        dropUnused(g_, replaced_);
        before_.clear();
        after_.clear();
    }

    // Q/DQ on every tensor the integer pipeline stores quantized.
    void quantizeActivations()
    {
        const Graph& graph = rt_.graph();
        std::set<std::string> graphInputs;
        for (const ValueInfo& in : graph.inputs)
            graphInputs.insert(in.name);
        std::vector<std::string> inputs, produced;
        for (const std::string& t : rt_.quantizedTensors()) {
            const int producer = graph.producerOf(t);
            // ONNX Runtime fuses DQ → Softmax → Q into its QLinearSoftmax, which returns 0 for the
            // largest class of a short softmax axis (docs/SPEC_NOTES.md, "QDQ export"). A graph
            // output read by nothing else can stay float: it is then within half a step of
            // BiasGuard's, where the fused kernel would be wrong.
            if (producer >= 0 && graph.nodes[size_t(producer)].opType == "Softmax" && graph.isGraphOutput(t)
                && graph.consumersOf(t).empty()) {
                ++summary.floatSoftmaxOutputs;
                continue;
            }
            (graphInputs.count(t) ? inputs : produced).push_back(t);
        }

        std::vector<onnx::NodeProto> front;
        for (const std::string& t : inputs) {
            const std::string dq = names_.fresh(t + "_dequantized");
            for (auto& node : *g_.mutable_node())
                for (auto& in : *node.mutable_input())
                    if (in == t)
                        in = dq;
            quantizePair(t, t, dq, front);
        }
        std::map<int, std::vector<onnx::NodeProto>> after;
        for (const std::string& t : produced) {
            const int pi = producerOf(g_, t);
            if (pi < 0)
                throw Error(ErrorCode::InvalidModel, modelPath_, "internal: no node of the file writes '" + t + "'");
            const std::string source = names_.fresh(t + "_float");
            for (auto& o : *g_.mutable_node(pi)->mutable_output())
                if (o == t)
                    o = source;
            quantizePair(t, source, t, after[pi]);
        }
        google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
        for (const auto& n : front)
            *nodes.Add() = n;
        for (int i = 0; i < g_.node_size(); ++i) {
            *nodes.Add() = g_.node(i);
            for (const auto& n : after[i])
                *nodes.Add() = n;
        }
        g_.mutable_node()->Swap(&nodes);
        summary.quantizedTensors = static_cast<int64_t>(inputs.size() + produced.size());
        connectIntegerInputs();
    }

    QdqExportSummary summary;

private:
    // source → [Clip] → QuantizeLinear → DequantizeLinear → target, with the tensor's calibrated
    // parameters (§4). uint8 holds any n_a ≤ 8; below 8 bits a Clip keeps the codes in [0, 2^n_a − 1].
    void quantizePair(const std::string& tensor, const std::string& source, const std::string& target,
                      std::vector<onnx::NodeProto>& out)
    {
        const ActivationQuant q = rt_.activationQuant(tensor);
        const std::string s = names_.fresh(tensor + "_scale"), z = names_.fresh(tensor + "_zero_point");
        addFloatInitializer(g_, s, {}, {static_cast<float>(q.scale)});
        addUint8Initializer(g_, z, {}, {static_cast<uint8_t>(q.zeroPoint)});
        std::string x = source;
        if (q.bits < 8) {
            const std::string lo = names_.fresh(tensor + "_code_min"), hi = names_.fresh(tensor + "_code_max");
            addFloatInitializer(g_, lo, {}, {static_cast<float>(-static_cast<double>(q.zeroPoint) * q.scale)});
            addFloatInitializer(g_, hi, {}, {static_cast<float>((static_cast<double>(activationQmax(q.bits)) - q.zeroPoint) * q.scale)});
            const std::string clipped = names_.fresh(tensor + "_clipped");
            out.push_back(makeNode("Clip", names_.fresh(tensor + "_Clip"), {x, lo, hi}, clipped));
            x = clipped;
        }
        const std::string codes = names_.fresh(tensor + "_quantized");
        codesOf_[tensor] = {codes, z};
        out.push_back(makeNode("QuantizeLinear", names_.fresh(tensor + "_QuantizeLinear"), {x, s, z}, codes));
        out.push_back(makeNode("DequantizeLinear", names_.fresh(tensor + "_DequantizeLinear"), {codes, s, z}, target));
    }

    // The integer chains read their input's codes: inputs 0 and 2 of each ConvInteger/MatMulInteger.
    void connectIntegerInputs()
    {
        for (const auto& [node, tensor] : pendingInputs_) {
            const auto codes = codesOf_.find(tensor);
            if (codes == codesOf_.end())
                throw Error(ErrorCode::InvalidModel, modelPath_,
                            "internal: the integer layer '" + node + "' reads '" + tensor + "', which is not quantized");
            for (auto& n : *g_.mutable_node())
                if (n.name() == node) {
                    n.set_input(0, codes->second.first);
                    n.set_input(2, codes->second.second);
                }
        }
    }

    const LayerAnalysis* layerOf(const FusionGroup& fg) const
    {
        if (!fg.hasBn)
            return nullptr;
        for (const LayerAnalysis& la : rt_.analysis().layers)
            if (la.pairIndex == static_cast<size_t>(fg.pairIndex))
                return &la;
        return nullptr;
    }

    void rewriteGroup(const FusionGroup& fg, const QuantizedGroup& qg)
    {
        const FoldPair& p = fg.params;
        const size_t C = static_cast<size_t>(p.channels);
        const int li = producerOf(g_, p.linearOutput);
        if (li < 0 || g_.node(li).op_type() != fg.op || qg.channels.size() != C)
            throw Error(ErrorCode::InvalidModel, modelPath_, "layer '" + fg.name + "' does not match the file");
        if (p.kind == LinearKind::ConvTranspose && p.group > 1)
            throw Error(ErrorCode::UnsupportedOp, modelPath_,
                        "ConvTranspose '" + fg.name + "' has group " + std::to_string(p.group)
                            + ": its output channels do not lie on one weight axis, so a per-axis DequantizeLinear "
                              "cannot carry their scales; exporting it as QDQ is not supported yet");
        const LayerAnalysis* layer = layerOf(fg);
        if (fg.hasBn && (!layer || layer->channels.size() != C))
            throw Error(ErrorCode::InvalidModel, modelPath_, "internal: no analysis of layer '" + fg.name + "'");

        onnx::NodeProto& L = *g_.mutable_node(li);
        for (int i = 1; i < L.input_size(); ++i)
            replaced_.insert(L.input(i));
        const std::string base = fg.name + "_biasguard";
        const double sx = qg.input.scale, sy = qg.output.scale;

        std::vector<float> wScale(C), bScale(C), gammaScale(C), chainScale(C);
        std::vector<int32_t> pre(C), post(C);
        bool needPost = false;
        for (size_t c = 0; c < C; ++c) {
            const ChannelRequant& r = qg.channels[c];
            wScale[c] = static_cast<float>(r.weightScale);
            bScale[c] = static_cast<float>(sx * r.weightScale);
            gammaScale[c] = static_cast<float>(r.gammaScale);
            chainScale[c] = qdqChainScale(sx, r.weightScale, r.gammaScale);
            pre[c] = static_cast<int32_t>(r.pre);  // saturated to n_b ≤ 32 bits
            post[c] = static_cast<int32_t>(std::clamp<int64_t>(r.post, std::numeric_limits<int32_t>::min(),
                                                               std::numeric_limits<int32_t>::max()));
            needPost = needPost || r.strategy == Strategy::Separate || r.strategy == Strategy::Constant;
        }

        // What N (or L) wrote, which the group's activation (or the graph) reads.
        const std::string chainOut = fg.hasBn ? p.bnOutput : p.linearOutput;
        if (fg.hasBn) {
            const int bi = producerOf(g_, p.bnOutput);
            if (bi < 0 || g_.node(bi).op_type() != "BatchNormalization")
                throw Error(ErrorCode::InvalidModel, modelPath_, "layer '" + fg.name + "' does not match the file");
            for (const auto& in : g_.node(bi).input())
                replaced_.insert(in);
            removed_.insert(bi);
        }
        ++summary.integerLayers;
        summary.postBiasLayers += needPost ? 1 : 0;
        // The integer pipeline's onnxruntime arithmetic models this choice (qdqLayerForm).
        const QdqLayerForm form = qdqLayerForm(qg, p.kind);
        std::vector<onnx::NodeProto>& before = before_[li];
        std::vector<onnx::NodeProto>& after = after_[li];
        std::string current;
        auto step = [&](const std::string& op, const std::string& what, const std::string& operand, bool last) {
            const std::string out = last ? chainOut : names_.fresh(base + "_" + what);
            after.push_back(makeNode(op, names_.fresh(base + "_" + what + "_" + op), {current, operand}, out));
            current = out;
        };
        const std::vector<int64_t> dims = channelBroadcastDims(p);
        auto addPost = [&](const std::string& factorName, const std::vector<float>& factor) {
            const std::string k = names_.fresh(base + "_" + factorName);
            addFloatInitializer(g_, k, dims, factor);
            step("Mul", factorName + "d", k, !needPost);
            if (needPost) {
                const std::string postDq = dequantizedConstant(base + "_post_bias", dims, post,
                                                               std::vector<float>(C, static_cast<float>(sy)), 0, before);
                step("Add", "post_biased", postDq, true);
            }
        };

        if (form == QdqLayerForm::IntegerChain) {
            // ConvInteger / MatMulInteger on the input's codes (connected once the activations have
            // their QuantizeLinear), uint8 weights q + 128 with zero point 128 (ONNX Runtime's
            // ConvInteger takes uint8 only; U8U8 is exact on every CPU, storesWeightsUnsigned), the
            // pre part added in int32, then Cast → Mul(k_c) → Add(post) in float32 to the one Q.
            ++summary.integerChainLayers;
            const bool conv = p.kind == LinearKind::Conv;
            std::vector<int64_t> wDims = qg.weight.shape;
            std::vector<uint8_t> wCodes = offsetCodes(qg.weight.values);
            if (p.kind == LinearKind::Gemm && p.transB) {  // MatMulInteger reads [K, N]
                const size_t n = static_cast<size_t>(wDims[0]), k = static_cast<size_t>(wDims[1]);
                std::vector<uint8_t> t(wCodes.size());
                for (size_t i = 0; i < n; ++i)
                    for (size_t j = 0; j < k; ++j)
                        t[j * n + i] = wCodes[i * k + j];
                wCodes.swap(t);
                std::swap(wDims[0], wDims[1]);
            }
            const std::string wq = names_.fresh(base + "_W_quantized"), wz = names_.fresh(base + "_W_zero_point");
            addUint8Initializer(g_, wq, wDims, wCodes);
            addUint8Initializer(g_, wz, {}, {128});
            current = names_.fresh(base + "_accumulator");
            const std::string op = conv ? "ConvInteger" : "MatMulInteger";
            onnx::NodeProto& n = after.emplace_back(makeNode(op, names_.fresh(base + "_" + op), {L.input(0), wq, "", wz}, current));
            if (conv)
                *n.mutable_attribute() = L.attribute();
            pendingInputs_.emplace_back(n.name(), L.input(0));
            removed_.insert(li);
            const std::string preName = names_.fresh(base + "_B_quantized");
            addInt32Initializer(g_, preName, dims, pre);
            step("Add", "biased", preName, false);
            const std::string castOut = names_.fresh(base + "_sum");
            onnx::NodeProto& cast = after.emplace_back(makeNode("Cast", names_.fresh(base + "_Cast"), {current}, castOut));
            setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
            current = castOut;
            addPost("chain_scale", chainScale);
            return;
        }

        // Weights: BiasGuard's n_w-bit codes in int8 storage, per output channel.
        const std::string w = dequantizedConstant(base + "_W", qg.weight.shape, qg.weight.values, wScale,
                                                  weightChannelAxis(p), before, storesWeightsUnsigned(qg.weight.bits));
        const std::string b = dequantizedConstant(base + "_B", {p.channels}, pre, bScale, 0, before);
        L.set_input(1, w);
        if (p.kind != LinearKind::MatMul) {
            while (L.input_size() < 3)
                L.add_input("");
            L.set_input(2, b);
        }
        if (p.kind == LinearKind::Gemm) {
            setFloatAttribute(L, "alpha", 1.0f);  // the codes quantize alpha·W
            setFloatAttribute(L, "beta", 1.0f);   // the bias codes hold beta·C
        }
        if (form == QdqLayerForm::FusedOperator || !needPost) {
            L.set_output(0, chainOut);
            return;
        }
        current = names_.fresh(base + "_accumulator");
        L.set_output(0, current);
        addPost("gamma_scale", gammaScale);
    }

    onnx::GraphProto& g_;
    const IntegerRuntime& rt_;
    const std::string& modelPath_;
    OnnxNameSet names_;
    std::set<int> removed_;
    std::set<std::string> replaced_;
    std::map<int, std::vector<onnx::NodeProto>> before_, after_;
    // Integer-chain nodes whose inputs 0 and 2 are the codes and zero point of a tensor (node, tensor).
    std::vector<std::pair<std::string, std::string>> pendingInputs_;
    std::map<std::string, std::pair<std::string, std::string>> codesOf_;  // tensor → (codes, zero point)
};

} // namespace

QdqExportSummary exportQdqModel(const std::string& inputPath, const std::string& outputPath, const IntegerRuntime& runtime)
{
    refuseInputAsOutput(inputPath, outputPath);
    onnx::ModelProto model;
    if (!model.ParseFromString(readWholeFile(inputPath)))
        throw Error(ErrorCode::NotOnnx, inputPath, "not a valid ONNX model");
    const int64_t opset = defaultDomainOpset(model);
    if (opset < kQdqOpset)
        model = convertedToOpset13(model, inputPath, runtime.ranges());
    onnx::GraphProto& g = *model.mutable_graph();
    std::set<std::string> weights;
    for (const FusionGroup& fg : runtime.groups().groups)
        weights.insert(fg.params.weight);
    requireEmbeddedFloat32(g, inputPath, weights);

    // Every node gets the name the other exports give it (export_names.h), the graph too.
    g.set_name(exportGraphName(g.name()));
    for (int i = 0; i < g.node_size(); ++i)
        if (g.node(i).name().empty())
            g.mutable_node(i)->set_name(exportNodeName("", {g.node(i).output().begin(), g.node(i).output().end()},
                                                       g.node(i).op_type(), i));
    QdqWriter writer(g, runtime, inputPath);
    writer.rewriteGroups();
    writer.quantizeActivations();
    dropStaleValueInfo(g);
    QdqExportSummary summary = writer.summary;
    summary.convertedFromOpset = opset < kQdqOpset ? opset : 0;

    checkModelFully(model, outputPath);
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        throw Error(ErrorCode::WriteFailed, outputPath, "cannot serialise the QDQ model");
    writeFileAtomically(outputPath, bytes);
    return summary;
}

} // namespace bg
