#pragma once
// Small edits of an onnx::GraphProto that both model exporters (the fixed float model and the QDQ
// model) make: fresh tensor names, new initializers, finding a producer, and dropping what no node
// reads any more. Kept in one place so that the two exports rewrite graphs the same way.
#include "folding/fold_pair.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace bg {

// Names already used by the graph, so that new tensors and nodes never collide.
class OnnxNameSet {
public:
    explicit OnnxNameSet(const onnx::GraphProto& g);
    // `base`, else base_2, base_3, ...; the name is reserved.
    std::string fresh(const std::string& base);

private:
    std::set<std::string> used_;
};

void addFloatInitializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<float>& values);
void addInt8Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                        const std::vector<int8_t>& values);
void addUint8Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<uint8_t>& values);
void addInt32Initializer(onnx::GraphProto& g, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<int32_t>& values);

// Dims of a per-channel constant that broadcasts over L's output: [C, 1, ...] for convolutions
// (NCHW), [C] on the last axis otherwise (Gemm, MatMul).
std::vector<int64_t> channelBroadcastDims(const FoldPair& layer);

// Index of the node writing `output`, or -1.
int producerOf(const onnx::GraphProto& g, const std::string& output);

// Sets (or adds) a float / int attribute.
void setFloatAttribute(onnx::NodeProto& node, const std::string& name, float value);
void setIntAttribute(onnx::NodeProto& node, const std::string& name, int64_t value);

// Removes the initializers and Constant nodes among `candidates` that no node reads any more (the
// folded W/B and the BatchNormalization parameters), and their graph-input entries (models of IR
// version < 4 list initializers as inputs). Runtimes warn about unused initializers.
void dropUnused(onnx::GraphProto& g, const std::set<std::string>& candidates);

// Removes value_info entries of tensors nothing produces any more (a removed node's outputs), so
// that the written model describes only the tensors it has.
void dropStaleValueInfo(onnx::GraphProto& g);

// Refuses what an exporter cannot carry over: initializers with external data, and a float weight
// that is not float32 (the new tensors are float32; a float16 model would get mixed types).
void requireEmbeddedFloat32(const onnx::GraphProto& g, const std::string& modelPath,
                            const std::set<std::string>& weights);

} // namespace bg
