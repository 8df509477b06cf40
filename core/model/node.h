#pragma once
// A node of the loaded graph. The typed attribute getters throw bg::Error(BadAttribute) naming
// the node, so an operator kernel never has to format that message itself.
#include "model/attribute.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bg {

// The ONNX default operator set: "" or its explicit name "ai.onnx". Only its operators have the
// meaning BiasGuard implements; a same-named op in another domain is someone else's.
bool isDefaultDomain(const std::string& domain);

class Node {
public:
    std::string name;
    std::string opType;
    std::string domain;                // "" or "ai.onnx" for the default domain
    std::vector<std::string> inputs;   // "" marks an omitted optional input
    std::vector<std::string> outputs;
    std::map<std::string, Attribute> attributes;

    // Node name, else its first output's name (what users see in messages and reports).
    std::string displayName() const;
    // "Conv 'conv1'": for error messages.
    std::string describe() const;
    bool inDefaultDomain() const { return isDefaultDomain(domain); }

    bool hasAttr(const std::string& key) const { return attributes.count(key) != 0; }
    int64_t attrInt(const std::string& key, int64_t fallback) const;
    int64_t attrInt(const std::string& key) const;
    float attrFloat(const std::string& key, float fallback) const;
    float attrFloat(const std::string& key) const;
    std::string attrString(const std::string& key, const std::string& fallback) const;
    std::vector<int64_t> attrInts(const std::string& key, const std::vector<int64_t>& fallback) const;
    std::optional<std::vector<int64_t>> attrIntsOpt(const std::string& key) const;
    std::vector<float> attrFloats(const std::string& key, const std::vector<float>& fallback) const;
    const Tensor& attrTensor(const std::string& key) const;

    // Input i, or "" when the node has fewer inputs.
    const std::string& input(size_t i) const;
    bool hasInput(size_t i) const { return i < inputs.size() && !inputs[i].empty(); }

private:
    const Attribute& require(const std::string& key, Attribute::Kind kind) const;
};

} // namespace bg
