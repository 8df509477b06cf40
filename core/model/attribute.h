#pragma once
// One ONNX node attribute, decoded from AttributeProto. Subgraph attributes (If/Loop bodies) are
// kept only as a marker: no supported operator needs them, and the loader refuses ops that do.
#include "model/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bg {

struct Attribute {
    enum class Kind { Float, Int, String, Tensor, Floats, Ints, Strings, Graph, Other };
    Kind kind = Kind::Other;
    float f = 0.0f;
    int64_t i = 0;
    std::string s;
    std::shared_ptr<const bg::Tensor> t;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
};

const char* attributeKindName(Attribute::Kind kind);

} // namespace bg
