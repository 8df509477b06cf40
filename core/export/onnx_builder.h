#pragma once
// Builds ONNX models in memory with the onnx protobuf API: the demo-model generator, the exporter
// and the tests all construct graphs through this one class instead of hand-writing protobuf.
#include "model/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace bg {

class OnnxBuilder {
public:
    using AttrValue = std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>, Tensor>;
    struct Attr {
        std::string name;
        AttrValue value;
    };

    explicit OnnxBuilder(int64_t opset = 13, std::string graphName = "graph");
    ~OnnxBuilder();
    OnnxBuilder(const OnnxBuilder&) = delete;
    OnnxBuilder& operator=(const OnnxBuilder&) = delete;

    // dims < 0 become symbolic ("N", "H" ...) when dimParams supplies a name, else unknown.
    OnnxBuilder& input(const std::string& name, const std::vector<int64_t>& dims, int32_t elemType = 1,
                       const std::vector<std::string>& dimParams = {});
    OnnxBuilder& output(const std::string& name, const std::vector<int64_t>& dims = {}, int32_t elemType = 1);
    // An initializer (float or int64 by the tensor's dtype).
    OnnxBuilder& initializer(const std::string& name, const Tensor& tensor);
    // A Constant node producing `name` (the way paddle2onnx stores weights).
    OnnxBuilder& constantNode(const std::string& name, const Tensor& tensor);
    OnnxBuilder& node(const std::string& opType, const std::vector<std::string>& inputs,
                      const std::vector<std::string>& outputs, const std::vector<Attr>& attrs = {},
                      const std::string& nodeName = "");
    OnnxBuilder& producer(const std::string& name, const std::string& version);

    std::string serialize() const;
    // Atomic write (temporary file + rename); throws bg::Error(WriteFailed) naming the path.
    void save(const std::string& path) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace bg
