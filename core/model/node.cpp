#include "model/node.h"

#include "io/error.h"

namespace bg {

bool isDefaultDomain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

const char* attributeKindName(Attribute::Kind kind)
{
    switch (kind) {
    case Attribute::Kind::Float: return "float";
    case Attribute::Kind::Int: return "int";
    case Attribute::Kind::String: return "string";
    case Attribute::Kind::Tensor: return "tensor";
    case Attribute::Kind::Floats: return "floats";
    case Attribute::Kind::Ints: return "ints";
    case Attribute::Kind::Strings: return "strings";
    case Attribute::Kind::Graph: return "graph";
    case Attribute::Kind::Other: return "other";
    }
    return "other";
}

std::string Node::displayName() const
{
    if (!name.empty())
        return name;
    return outputs.empty() ? std::string("<unnamed>") : outputs.front();
}

std::string Node::describe() const
{
    return opType + " node '" + displayName() + "'";
}

const Attribute& Node::require(const std::string& key, Attribute::Kind kind) const
{
    auto it = attributes.find(key);
    if (it == attributes.end())
        throw Error(ErrorCode::BadAttribute, describe(), "missing required attribute '" + key + "'");
    if (it->second.kind != kind)
        throw Error(ErrorCode::BadAttribute, describe(),
                    "attribute '" + key + "' is " + attributeKindName(it->second.kind) + ", expected "
                        + attributeKindName(kind));
    return it->second;
}

int64_t Node::attrInt(const std::string& key, int64_t fallback) const
{
    return hasAttr(key) ? attrInt(key) : fallback;
}

int64_t Node::attrInt(const std::string& key) const
{
    return require(key, Attribute::Kind::Int).i;
}

float Node::attrFloat(const std::string& key, float fallback) const
{
    return hasAttr(key) ? attrFloat(key) : fallback;
}

float Node::attrFloat(const std::string& key) const
{
    return require(key, Attribute::Kind::Float).f;
}

std::string Node::attrString(const std::string& key, const std::string& fallback) const
{
    return hasAttr(key) ? require(key, Attribute::Kind::String).s : fallback;
}

std::vector<int64_t> Node::attrInts(const std::string& key, const std::vector<int64_t>& fallback) const
{
    return hasAttr(key) ? require(key, Attribute::Kind::Ints).ints : fallback;
}

std::optional<std::vector<int64_t>> Node::attrIntsOpt(const std::string& key) const
{
    if (!hasAttr(key))
        return std::nullopt;
    return require(key, Attribute::Kind::Ints).ints;
}

std::vector<float> Node::attrFloats(const std::string& key, const std::vector<float>& fallback) const
{
    return hasAttr(key) ? require(key, Attribute::Kind::Floats).floats : fallback;
}

const Tensor& Node::attrTensor(const std::string& key) const
{
    return *require(key, Attribute::Kind::Tensor).t;
}

const std::string& Node::input(size_t i) const
{
    static const std::string empty;
    return i < inputs.size() ? inputs[i] : empty;
}

} // namespace bg
