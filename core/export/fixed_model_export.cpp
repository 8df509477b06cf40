#include "export/fixed_model_export.h"

#include "export/export_names.h"
#include "export/fix_provenance_json.h"
#include "arithmetic/fold_math.h"
#include "analysis/layer_fold.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "io/error.h"
#include "export/onnx_graph_edit.h"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <map>
#include <set>

namespace bg {

namespace {

namespace fs = std::filesystem;

std::vector<float> toFloats(const std::vector<double>& v)
{
    return std::vector<float>(v.begin(), v.end());
}

// Every node gets its export name; the graph too.
void nameNodes(onnx::GraphProto& g)
{
    g.set_name(exportGraphName(g.name()));
    for (int i = 0; i < g.node_size(); ++i) {
        onnx::NodeProto& n = *g.mutable_node(i);
        if (n.name().empty())
            n.set_name(exportNodeName("", {n.output().begin(), n.output().end()}, n.op_type(), i));
    }
}

void setProvenance(onnx::ModelProto& model, const std::string& json)
{
    if (json.empty())
        return;
    for (auto& entry : *model.mutable_metadata_props())
        if (entry.key() == kProvenanceKey) {
            entry.set_value(json);
            return;
        }
    onnx::StringStringEntryProto* entry = model.add_metadata_props();
    entry->set_key(kProvenanceKey);
    entry->set_value(json);
}

} // namespace

void refuseInputAsOutput(const std::string& inputPath, const std::string& outputPath)
{
    std::error_code ec;
    if (fs::exists(outputPath, ec) && fs::equivalent(inputPath, outputPath, ec))
        throw Error(ErrorCode::BadSetting, outputPath, "this is the input model; BiasGuard never overwrites it, choose another path");
}

FixedModelSummary exportFixedModel(const std::string& inputPath, const std::string& outputPath, const FoldPairs& pairs,
                                   const std::vector<std::vector<Strategy>>& strategies, const std::string& provenanceJson)
{
    refuseInputAsOutput(inputPath, outputPath);
    const FixedModel fixed = buildFixedModel(inputPath, pairs, strategies, provenanceJson);
    writeFileAtomically(outputPath, fixed.bytes);
    return fixed.summary;
}

FixedModel buildFixedModel(const std::string& inputPath, const FoldPairs& pairs,
                           const std::vector<std::vector<Strategy>>& strategies, const std::string& provenanceJson)
{
    if (strategies.size() != pairs.pairs.size())
        throw Error(ErrorCode::InvalidModel, inputPath, "internal: strategies for " + std::to_string(strategies.size())
                                                            + " pairs, the model has " + std::to_string(pairs.pairs.size()));
    onnx::ModelProto model;
    if (!model.ParseFromString(readWholeFile(inputPath)))
        throw Error(ErrorCode::NotOnnx, inputPath, "not a valid ONNX model");
    onnx::GraphProto& g = *model.mutable_graph();
    std::set<std::string> weights;
    for (const FoldPair& pair : pairs.pairs)
        weights.insert(pair.weight);
    requireEmbeddedFloat32(g, inputPath, weights);

    nameNodes(g);
    OnnxNameSet names(g);
    FixedModel fixed;
    fixed.graphName = g.name();
    fixed.layers.resize(pairs.pairs.size());
    FixedModelSummary& summary = fixed.summary;
    std::set<int> removed;  // BatchNormalization nodes replaced
    std::set<std::string> replacedInputs;  // W, B of each L and N's parameters: dropped once unused
    std::map<int, std::vector<onnx::NodeProto>> inserted;  // new nodes at a removed node's position
    for (size_t p = 0; p < pairs.pairs.size(); ++p) {
        const FoldPair& pair = pairs.pairs[p];
        const std::vector<Strategy>& st = strategies[p];
        const size_t C = static_cast<size_t>(pair.channels);
        const int li = producerOf(g, pair.linearOutput), bi = producerOf(g, pair.bnOutput);
        if (li < 0 || bi < 0 || st.size() != C || g.node(bi).op_type() != "BatchNormalization")
            throw Error(ErrorCode::InvalidModel, inputPath, "layer '" + pair.linearName + "' does not match the file");
        onnx::NodeProto& L = *g.mutable_node(li);
        FixedLayerNames& layerNames = fixed.layers[p];
        layerNames.node = L.name();

        const LayerFold fold = foldLayer(pair, true);
        const std::vector<double>& a = fold.foldFactor;
        const std::vector<double>& folded = fold.foldedBias;
        std::vector<double> lBias(C), scale(C, 1.0), shift(C, 0.0);
        int64_t separated = 0;
        for (size_t c = 0; c < C; ++c) {
            const bool sep = st[c] == Strategy::Separate;
            separated += sep ? 1 : 0;
            lBias[c] = sep ? pair.linearBias[c] - pair.mean[c] : folded[c];
            scale[c] = sep ? a[c] : 1.0;
            shift[c] = sep ? pair.beta[c] : 0.0;
        }
        if (pair.kind == LinearKind::MatMul)
            shift = folded;  // no bias input: (x·W_mixed)·scale + b' for every channel

        // Weights in the model's layout: W'_c = a_c·W_c, or W_c for separated channels (the stored W:
        // a Gemm's alpha stays on the node, so the fold's alpha·W is not what is written).
        const auto w = pair.weightTensor->floats();
        std::vector<float> newW(w.size());
        for (size_t k = 0; k < w.size(); ++k) {
            const size_t c = static_cast<size_t>(pair.channelOfWeightIndex(static_cast<int64_t>(k)));
            newW[k] = st[c] == Strategy::Separate ? w[k] : static_cast<float>(foldedWeight(a[c], static_cast<double>(w[k])));
        }
        const std::string base = (pair.linearName.empty() ? pair.linearOutput : pair.linearName) + "_biasguard";
        for (const auto& in : L.input())
            replacedInputs.insert(in);
        for (const auto& in : g.node(bi).input())
            replacedInputs.insert(in);
        const std::string wName = names.fresh(base + "_W");
        addFloatInitializer(g, wName, pair.weightTensor->shape(), newW);
        L.set_input(1, wName);
        layerNames.weight = wName;
        if (pair.kind != LinearKind::MatMul) {
            const std::string bName = names.fresh(base + "_B");
            addFloatInitializer(g, bName, {pair.channels}, toFloats(lBias));
            while (L.input_size() < 3)
                L.add_input("");
            L.set_input(2, bName);
            layerNames.bias = bName;
            if (pair.kind == LinearKind::Gemm)
                setFloatAttribute(L, "beta", 1.0f);  // linearBias already holds beta·C
        }

        const bool needMul = separated > 0;
        const bool needAdd = separated > 0 || pair.kind == LinearKind::MatMul;
        if (!needMul && !needAdd) {
            L.set_output(0, pair.bnOutput);  // L now computes what N did
        } else {
            const std::vector<int64_t> dims = channelBroadcastDims(pair);
            // x ∘ per-channel constant, as a node reading a new initializer (Mul: a, Add: β).
            std::vector<onnx::NodeProto> nodes;
            std::string current = pair.linearOutput;
            auto channelOp = [&](const char* op, const std::string& what, const std::vector<double>& values,
                                 const std::string& output) {
                const std::string constant = names.fresh(base + "_" + what);
                (std::string(op) == "Mul" ? layerNames.scale : layerNames.postBias) = constant;
                addFloatInitializer(g, constant, dims, toFloats(values));
                onnx::NodeProto& n = nodes.emplace_back();
                n.set_op_type(op);
                n.set_name(names.fresh(base + "_" + what + "_" + op));
                n.add_input(current);
                n.add_input(constant);
                n.add_output(output);
                current = output;
            };
            if (needMul)
                channelOp("Mul", "gamma_scale", scale, needAdd ? names.fresh(base + "_scaled") : pair.bnOutput);
            if (needAdd)
                channelOp("Add", "post_bias", shift, pair.bnOutput);
            inserted[bi] = std::move(nodes);
            summary.separatedLayers += separated > 0 ? 1 : 0;
            summary.separatedChannels += separated;
        }
        removed.insert(bi);
        ++summary.foldedPairs;
    }

    // Rebuild the node list in order: each removed BatchNormalization replaced by its new nodes.
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    for (int i = 0; i < g.node_size(); ++i) {
        if (!removed.count(i)) {
            *nodes.Add() = g.node(i);
            continue;
        }
        for (const onnx::NodeProto& n : inserted[i])
            *nodes.Add() = n;
    }
    g.mutable_node()->Swap(&nodes);
    dropUnused(g, replacedInputs);

    setProvenance(model, provenanceJson);
    if (!model.SerializeToString(&fixed.bytes))
        throw Error(ErrorCode::InvalidModel, inputPath, "cannot serialise the fixed model");
    return fixed;
}

} // namespace bg
