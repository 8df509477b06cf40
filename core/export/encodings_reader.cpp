#include "export/encodings_reader.h"

#include "io/error.h"
#include "io/file_reader.h"
#include "io/json_reader.h"

#include <cmath>
#include <set>

namespace bg {

namespace {

class EncodingsFile {
public:
    explicit EncodingsFile(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void bad(const std::string& where, const std::string& problem) const
    {
        throw Error(ErrorCode::BadInput, path_, "not a valid encodings file: " + (where.empty() ? "" : where + ": ") + problem);
    }

    const JsonValue& member(const JsonValue& object, const std::string& key, const std::string& where) const
    {
        const JsonValue* v = object.find(key);
        if (!v)
            bad(where, "\"" + key + "\" is missing");
        return *v;
    }

    double number(const JsonValue& object, const std::string& key, const std::string& where) const
    {
        const JsonValue& v = member(object, key, where);
        if (!v.isNumber() || !std::isfinite(v.number()))
            bad(where, "\"" + key + "\" must be a finite number");
        return v.number();
    }

    double integer(const JsonValue& object, const std::string& key, const std::string& where) const
    {
        const double v = number(object, key, where);
        if (std::floor(v) != v)
            bad(where, "\"" + key + "\" must be a whole number");
        return v;
    }

    const std::string& string(const JsonValue& object, const std::string& key, const std::string& where) const
    {
        const JsonValue& v = member(object, key, where);
        if (!v.isString())
            bad(where, "\"" + key + "\" must be a string");
        return v.string();
    }

    std::vector<double> numbers(const JsonValue& object, const std::string& key, const std::string& where) const
    {
        const JsonValue& v = member(object, key, where);
        if (!v.isArray())
            bad(where, "\"" + key + "\" must be an array of numbers");
        std::vector<double> out;
        for (const JsonValue& x : v.items()) {
            if (!x.isNumber() || !std::isfinite(x.number()))
                bad(where, "\"" + key + "\" must be an array of finite numbers");
            out.push_back(x.number());
        }
        return out;
    }

    // One activation encoding: the schema of AIMET 0.6.1 (every key present and of its type),
    // then what BiasGuard needs of it (an unsigned integer grid of the run's width).
    TensorRange activation(const std::string& tensor, const JsonValue& list, int activationBits) const
    {
        const std::string where = "activation_encodings['" + tensor + "']";
        if (!list.isArray() || list.items().empty() || !list.items().front().isObject())
            bad(where, "must be a non-empty list of encoding objects");
        if (list.items().size() != 1)
            bad(where, "a per-channel activation encoding (" + std::to_string(list.items().size())
                           + " entries); BiasGuard quantizes activations per tensor");
        const JsonValue& e = list.items().front();
        const double bitwidth = integer(e, "bitwidth", where);
        const std::string& dtype = string(e, "dtype", where);
        const std::string& symmetric = string(e, "is_symmetric", where);
        const double scale = number(e, "scale", where);
        integer(e, "offset", where);
        TensorRange r{number(e, "min", where), number(e, "max", where)};
        if (dtype != "int")
            bad(where, "dtype '" + dtype + "': BiasGuard needs an integer encoding of every activation it quantizes");
        if (symmetric != "True" && symmetric != "False")
            bad(where, "\"is_symmetric\" must be \"True\" or \"False\"");
        if (bitwidth != activationBits)
            bad(where, "encoded at " + std::to_string(static_cast<int>(bitwidth)) + " bits, the run uses --activation-bits "
                           + std::to_string(activationBits));
        if (!(scale > 0))
            bad(where, "\"scale\" must be positive");
        if (r.min > r.max)
            bad(where, "\"min\" is above \"max\"");
        r.count = 1;
        return r;
    }

    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Every tensor name of the graph (inputs, node outputs): an encoding of another name is of another model.
std::set<std::string> tensorNames(const Graph& graph)
{
    std::set<std::string> names;
    for (const ValueInfo& in : graph.inputs)
        names.insert(in.name);
    for (const Node& n : graph.nodes)
        names.insert(n.outputs.begin(), n.outputs.end());
    return names;
}

void readPreBnRanges(const EncodingsFile& file, const JsonValue& section, const ModelStructure& model, RangeTable& ranges)
{
    const JsonValue* pre = section.find("pre_bn_ranges");
    if (!pre)
        return;
    if (!pre->isObject())
        file.bad("biasguard", "\"pre_bn_ranges\" must be an object");
    for (const auto& [layer, value] : pre->members()) {
        const std::string where = "biasguard.pre_bn_ranges['" + layer + "']";
        const FoldPair* pair = nullptr;
        for (const FoldPair& p : model.pairs.pairs)
            if (p.linearName == layer)
                pair = &p;
        if (!pair)
            file.bad(where, "the model has no foldable layer of this name");
        if (!value.isObject())
            file.bad(where, "must be an object");
        TensorRange r{file.number(value, "min", where), file.number(value, "max", where)};
        r.channelMin = file.numbers(value, "channel_min", where);
        r.channelMax = file.numbers(value, "channel_max", where);
        const size_t C = static_cast<size_t>(pair->channels);
        if (r.channelMin.size() != C || r.channelMax.size() != C)
            file.bad(where, "\"channel_min\" and \"channel_max\" must hold one number per channel (" + std::to_string(C) + ")");
        r.count = 1;
        ranges[pair->linearOutput] = std::move(r);
    }
}

} // namespace

RangeTable readEncodingsRanges(const std::string& path, const ModelStructure& model, int activationBits)
{
    const EncodingsFile file(path);
    const JsonValue root = parseJson(readWholeFile(path, int64_t{256} << 20), path);
    if (!root.isObject())
        file.bad("", "the top level must be an object");
    const JsonValue& version = file.member(root, "version", "");
    if (!version.isString() || version.string().rfind("0.", 0) != 0)
        file.bad("", "\"version\" must be a string of AIMET's 0.x dictionary layout, e.g. \"0.6.1\"");
    const JsonValue& activations = file.member(root, "activation_encodings", "");
    if (!activations.isObject())
        file.bad("", "\"activation_encodings\" must be an object (tensor name -> list of encodings)");
    const JsonValue& params = file.member(root, "param_encodings", "");
    if (!params.isObject())
        file.bad("", "\"param_encodings\" must be an object (tensor name -> list of encodings)");

    const std::set<std::string> names = tensorNames(model.graph);
    RangeTable ranges;
    for (const auto& [tensor, list] : activations.members()) {
        if (!names.count(tensor))
            file.bad("activation_encodings['" + tensor + "']", "the model " + model.graph.path + " has no tensor of this name");
        ranges[tensor] = file.activation(tensor, list, activationBits);
    }
    if (const JsonValue* section = root.find("biasguard")) {
        if (!section->isObject())
            file.bad("", "\"biasguard\" must be an object");
        readPreBnRanges(file, *section, model, ranges);
        if (const JsonValue* nonFinite = section->find("non_finite"); nonFinite && nonFinite->isArray())
            for (const JsonValue& t : nonFinite->items())
                if (t.isString() && ranges.count(t.string()))
                    ranges[t.string()].nonFinite = true;
    }

    // What every run needs, checked here so that the message names this file, not a later stage.
    std::vector<std::string> required;
    for (const ValueInfo& in : model.graph.inputs)
        if (!model.graph.isConstant(in.name) && in.takesFloat())
            required.push_back(in.name);
    for (const FusionGroup& g : model.groups.groups) {
        required.push_back(g.input);
        required.push_back(g.groupOutput);
    }
    for (const std::string& tensor : required)
        if (!ranges.count(tensor))
            file.bad("activation_encodings", "no encoding of tensor '" + tensor + "', which the model " + model.graph.path
                                                 + " quantizes");
    return ranges;
}

} // namespace bg
