#include "arithmetic/hardware_target.h"

#include "io/error.h"
#include "io/json_reader.h"

#include <cmath>
#include <set>

namespace bg {

// Defined in the generated builtin_targets.cpp (core/CMakeLists.txt): resources/targets.json.
const char* builtinTargetsJson();

namespace {

std::string stringMember(const JsonValue& v, const std::string& key, const std::string& where,
                         const std::string& subject, bool required)
{
    const JsonValue* m = v.find(key);
    if (!m) {
        if (required)
            throw Error(ErrorCode::BadInput, subject, where + ": missing \"" + key + "\"");
        return {};
    }
    if (!m->isString())
        throw Error(ErrorCode::BadInput, subject, where + ": \"" + key + "\" must be a string");
    return m->string();
}

int intMember(const JsonValue& v, const std::string& key, const std::string& where, const std::string& subject)
{
    const JsonValue* m = v.find(key);
    if (!m || !m->isNumber() || m->number() != std::floor(m->number()) || m->number() < 1 || m->number() > 64)
        throw Error(ErrorCode::BadInput, subject, where + ": \"" + key + "\" must be a whole number of bits");
    return static_cast<int>(m->number());
}

HardwareTarget parseTarget(const JsonValue& t, size_t index, const std::string& subject)
{
    std::string where = "target " + std::to_string(index + 1);
    if (!t.isObject())
        throw Error(ErrorCode::BadInput, subject, where + " is not an object");
    static const std::set<std::string> known = {"name", "title", "weight_bits", "activation_bits", "bias_bits",
                                                "granularity", "applies", "reason", "note", "sources"};
    for (const auto& [key, value] : t.members())
        if (!known.count(key))
            throw Error(ErrorCode::BadInput, subject, where + ": unknown key \"" + key + "\"");
    HardwareTarget h;
    h.name = stringMember(t, "name", where, subject, true);
    where += " (" + h.name + ")";
    h.title = stringMember(t, "title", where, subject, true);
    h.weightBits = intMember(t, "weight_bits", where, subject);
    h.activationBits = intMember(t, "activation_bits", where, subject);
    h.biasBits = intMember(t, "bias_bits", where, subject);
    try {
        h.granularity = parseGranularity(stringMember(t, "granularity", where, subject, true));
    } catch (const Error& e) {
        throw Error(ErrorCode::BadInput, subject, where + ": " + e.what());
    }
    if (const JsonValue* a = t.find("applies")) {
        if (!a->isBool())
            throw Error(ErrorCode::BadInput, subject, where + ": \"applies\" must be true or false");
        h.applies = a->boolean();
    }
    h.reason = stringMember(t, "reason", where, subject, !h.applies);
    h.note = stringMember(t, "note", where, subject, false);
    const JsonValue* sources = t.find("sources");
    if (!sources || !sources->isArray() || sources->items().empty())
        throw Error(ErrorCode::BadInput, subject, where + ": needs \"sources\", a non-empty list: every figure has a public source");
    for (const JsonValue& s : sources->items()) {
        if (!s.isObject())
            throw Error(ErrorCode::BadInput, subject, where + ": each source is an object with \"url\" and \"says\"");
        h.sources.push_back({stringMember(s, "url", where, subject, true), stringMember(s, "says", where, subject, true)});
    }
    if (h.applies) {
        try {
            h.apply(QuantSettings{});
        } catch (const Error& e) {
            throw Error(ErrorCode::BadInput, subject, where + ": applies, but " + e.what());
        }
    }
    return h;
}

} // namespace

QuantSettings HardwareTarget::apply(QuantSettings base) const
{
    if (!applies)
        throw Error(ErrorCode::BadSetting, "--target " + name, "does not apply: " + reason);
    base.weightBits = weightBits;
    base.activationBits = activationBits;
    base.biasBits = biasBits;
    base.granularity = granularity;
    base.target = name;
    base.validate();
    return base;
}

std::vector<HardwareTarget> parseHardwareTargets(const std::string& json, const std::string& subject)
{
    const JsonValue root = parseJson(json, subject);
    const JsonValue* format = root.isObject() ? root.find("format") : nullptr;
    if (!format || !format->isString() || format->string() != "biasguard-targets")
        throw Error(ErrorCode::BadInput, subject, "not a targets file (\"format\": \"biasguard-targets\")");
    const JsonValue* list = root.find("targets");
    if (!list || !list->isArray())
        throw Error(ErrorCode::BadInput, subject, "\"targets\" must be a list");
    std::vector<HardwareTarget> targets;
    std::set<std::string> names;
    for (size_t i = 0; i < list->items().size(); ++i) {
        HardwareTarget t = parseTarget(list->items()[i], i, subject);
        if (!names.insert(t.name).second)
            throw Error(ErrorCode::BadInput, subject, "target \"" + t.name + "\" is listed twice");
        targets.push_back(std::move(t));
    }
    return targets;
}

const std::vector<HardwareTarget>& builtinTargets()
{
    static const std::vector<HardwareTarget> targets =
        parseHardwareTargets(builtinTargetsJson(), "resources/targets.json (built in)");
    return targets;
}

const HardwareTarget& findTarget(const std::string& name)
{
    std::string known;
    for (const HardwareTarget& t : builtinTargets()) {
        if (t.name == name)
            return t;
        known += (known.empty() ? "" : ", ") + t.name;
    }
    throw Error(ErrorCode::BadSetting, "--target", "'" + name + "' is not a known target (" + known + ")");
}

} // namespace bg
