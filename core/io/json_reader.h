#pragma once
// A small JSON parser (no third-party JSON library is available) for the files BiasGuard reads back:
// fix plans and settings. It accepts RFC 8259 JSON; numbers are doubles; the strings "inf", "-inf"
// and "nan" that JsonWriter writes for non-finite numbers are left as strings (numberOr() converts).
// Every error is bg::Error(BadInput) naming the file and the line/column.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bg {

class JsonValue {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    JsonValue() = default;
    static JsonValue makeBool(bool b);
    static JsonValue makeNumber(double d);
    static JsonValue makeString(std::string s);
    static JsonValue makeArray(std::vector<JsonValue> items);
    static JsonValue makeObject(std::vector<std::pair<std::string, JsonValue>> members);

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isBool() const { return type_ == Type::Bool; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isArray() const { return type_ == Type::Array; }
    bool isObject() const { return type_ == Type::Object; }

    bool boolean() const { return b_; }
    double number() const { return d_; }
    const std::string& string() const { return s_; }
    const std::vector<JsonValue>& items() const { return items_; }
    // Members in file order (duplicate keys are rejected by the parser).
    const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
    // Member by key, or nullptr.
    const JsonValue* find(const std::string& key) const;

private:
    Type type_ = Type::Null;
    bool b_ = false;
    double d_ = 0.0;
    std::string s_;
    std::vector<JsonValue> items_;
    std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses `text`; throws bg::Error(BadInput, subject, "line L, column C: <problem>").
JsonValue parseJson(const std::string& text, const std::string& subject);

// Reads and parses a file; throws bg::Error naming `path` (FileNotFound, FileUnreadable, BadInput).
JsonValue readJsonFile(const std::string& path);

} // namespace bg
