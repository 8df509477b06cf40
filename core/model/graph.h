#pragma once
// The loaded model: nodes in topological order, constants (initializers and Constant nodes, which
// the loader folds into the same table), graph inputs/outputs and the statically inferred shapes.
// It holds no protobuf types so that everything downstream compiles without onnx headers.
#include "model/node.h"
#include "model/tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bg {

// One dimension of a declared or inferred shape: a size, or a symbolic/unknown one (value < 0).
struct Dim {
    int64_t value = -1;
    std::string param;  // symbolic name, e.g. "batch" or "H"
    bool known() const { return value >= 0; }
};

struct ValueInfo {
    std::string name;
    int32_t elemType = 0;   // ONNX TensorProto data type, 0 when unknown
    bool hasShape = false;  // false: rank unknown
    std::vector<Dim> dims;

    // Whether the value takes a float tensor: a floating elemType, or none declared (a model that
    // does not say is fed floats, the common case).
    bool takesFloat() const { return elemType == 0 || isFloatElemType(elemType); }
};

enum class ConstantOrigin { Initializer, ConstantNode };

class Graph {
public:
    // Provenance, for reports and the JSON "model" object.
    std::string path;
    std::string producerName;
    std::string producerVersion;
    std::string graphName;
    int64_t irVersion = 0;
    int64_t opset = 0;  // of the default ("" / "ai.onnx") domain
    std::map<std::string, int64_t> opsets;

    std::vector<Node> nodes;  // topologically sorted; Constant nodes are not in here
    // Shared, never copied: the fold pairs and the runtimes read the same weights (peak RSS).
    std::map<std::string, std::shared_ptr<const Tensor>> constants;
    std::map<std::string, ConstantOrigin> constantOrigins;
    std::map<std::string, std::string> constantNodeNames;  // constant tensor -> Constant node name
    std::vector<ValueInfo> inputs;  // graph inputs that are not constants, in declaration order
    std::vector<ValueInfo> outputs;
    std::map<std::string, ValueInfo> valueInfo;  // every tensor whose type/shape is known statically

    const Tensor* constant(const std::string& name) const;
    // The same constant as a share of its storage (null when `name` is not a constant).
    std::shared_ptr<const Tensor> sharedConstant(const std::string& name) const;
    bool isConstant(const std::string& name) const { return constants.count(name) != 0; }
    bool isGraphOutput(const std::string& name) const;
    // Index of the node producing `name`, or -1 (graph input, constant or unknown).
    int producerOf(const std::string& name) const;
    // Indices of the nodes reading `name`, in graph order.
    std::vector<size_t> consumersOf(const std::string& name) const;
    // Static shape of a tensor if fully known.
    std::vector<int64_t> staticShape(const std::string& name, bool* complete = nullptr) const;
};

} // namespace bg
