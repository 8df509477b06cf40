#include "fix/fix_plan.h"

#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "io/json_reader.h"
#include "io/json_writer.h"
#include "io/error.h"

#include <algorithm>
#include <cmath>

namespace bg {

namespace {

constexpr const char* kFormat = "biasguard-fix-plan";
constexpr int kVersion = 1;

const Strategy kAllStrategies[] = {Strategy::Clamp, Strategy::Separate, Strategy::Constant, Strategy::Widen,
                                   Strategy::Auto};

std::map<Strategy, int64_t> zeroCounts()
{
    std::map<Strategy, int64_t> m;
    for (Strategy s : kAllStrategies)
        m[s] = 0;
    return m;
}

[[noreturn]] void bad(const std::string& subject, const std::string& problem)
{
    throw Error(ErrorCode::BadInput, subject, "not a valid fix plan: " + problem);
}

Strategy strategyFromJson(const JsonValue& v, const std::string& subject, const std::string& where)
{
    if (!v.isString())
        bad(subject, where + ": \"strategy\" must be a string");
    try {
        return parseStrategy(v.string());
    } catch (const Error& e) {
        bad(subject, where + ": strategy '" + v.string() + "' is not one of auto, separate, constant, widen, clamp");
    }
}

} // namespace

FixPlan FixPlan::fromAnalysis(const FoldAnalysis& analysis)
{
    FixPlan plan(analysis.settings.strategy);
    for (const LayerAnalysis& layer : analysis.layers)
        for (const ChannelAnalysis& ch : layer.channels)
            plan.entries_[{layer.name, ch.channel}] = ch.strategy;
    return plan;
}

void FixPlan::set(const std::string& layer, int64_t channel, Strategy strategy)
{
    entries_[{layer, channel}] = strategy;
}

void FixPlan::setLayer(const std::string& layer, int64_t channels, Strategy strategy)
{
    if (channels >= 0) {
        for (int64_t c = 0; c < channels; ++c)
            entries_[{layer, c}] = strategy;
        return;
    }
    for (auto& [key, s] : entries_)
        if (key.first == layer)
            s = strategy;
}

void FixPlan::erase(const std::string& layer, int64_t channel)
{
    entries_.erase({layer, channel});
}

Strategy FixPlan::strategyFor(const std::string& layer, int64_t channel) const
{
    auto it = entries_.find({layer, channel});
    return it == entries_.end() ? default_ : it->second;
}

bool FixPlan::hasEntry(const std::string& layer, int64_t channel) const
{
    return entries_.count({layer, channel}) != 0;
}

Strategy FixPlan::resolved(const LayerAnalysis& layer, const ChannelAnalysis& channel) const
{
    const Strategy s = strategyFor(layer.name, channel.channel);
    return s == Strategy::Auto ? channel.autoStrategy : s;
}

std::vector<std::vector<Strategy>> FixPlan::resolvedPerPair(const FoldAnalysis& analysis) const
{
    size_t pairs = 0;
    for (const LayerAnalysis& layer : analysis.layers)
        pairs = std::max(pairs, layer.pairIndex + 1);
    std::vector<std::vector<Strategy>> out(pairs);
    for (const LayerAnalysis& layer : analysis.layers)
        for (const ChannelAnalysis& ch : layer.channels)
            out[layer.pairIndex].push_back(resolved(layer, ch));
    return out;
}

FixPlan FixPlan::resolvedAgainst(const FoldAnalysis& analysis) const
{
    FixPlan plan = *this;
    for (const LayerAnalysis& layer : analysis.layers)
        for (const ChannelAnalysis& ch : layer.channels)
            plan.entries_[{layer.name, ch.channel}] = resolved(layer, ch);
    return plan;
}

std::map<Strategy, int64_t> FixPlan::counts(const FoldAnalysis& analysis) const
{
    std::map<Strategy, int64_t> m = zeroCounts();
    for (const LayerAnalysis& layer : analysis.layers)
        for (const ChannelAnalysis& ch : layer.channels)
            ++m[resolved(layer, ch)];
    return m;
}

std::map<Strategy, int64_t> FixPlan::entryCounts() const
{
    std::map<Strategy, int64_t> m = zeroCounts();
    for (const auto& [key, s] : entries_)
        ++m[s];
    return m;
}

std::string FixPlan::toJson() const
{
    JsonWriter w;
    w.beginObject();
    w.key("format").value(kFormat);
    w.key("version").value(kVersion);
    w.key("default").value(strategyName(default_));
    w.key("layers").beginArray();
    auto it = entries_.begin();
    while (it != entries_.end()) {
        const std::string& layer = it->first.first;
        w.beginObject();
        w.key("name").value(layer);
        w.key("channels").beginArray();
        for (; it != entries_.end() && it->first.first == layer; ++it) {
            w.beginObject();
            w.key("channel").value(it->first.second);
            w.key("strategy").value(strategyName(it->second));
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.str() + "\n";
}

FixPlan FixPlan::fromJson(const std::string& text, const std::string& subject)
{
    return fromJsonValue(parseJson(text, subject), subject);
}

FixPlan FixPlan::fromJsonValue(const JsonValue& root, const std::string& subject)
{
    if (!root.isObject())
        bad(subject, "the top level must be an object");
    const JsonValue* format = root.find("format");
    if (!format || !format->isString() || format->string() != kFormat)
        bad(subject, std::string("\"format\" must be \"") + kFormat + "\"");
    const JsonValue* version = root.find("version");
    if (!version || !version->isNumber() || version->number() != kVersion)
        bad(subject, "\"version\" must be " + std::to_string(kVersion));
    FixPlan plan;
    if (const JsonValue* def = root.find("default"))
        plan.default_ = strategyFromJson(*def, subject, "\"default\"");
    const JsonValue* layers = root.find("layers");
    if (!layers || !layers->isArray())
        bad(subject, "\"layers\" must be an array");
    for (size_t i = 0; i < layers->items().size(); ++i) {
        const JsonValue& layer = layers->items()[i];
        const std::string where = "layers[" + std::to_string(i) + "]";
        if (!layer.isObject())
            bad(subject, where + " must be an object");
        const JsonValue* name = layer.find("name");
        if (!name || !name->isString() || name->string().empty())
            bad(subject, where + ": \"name\" must be a non-empty string");
        const JsonValue* channels = layer.find("channels");
        if (!channels || !channels->isArray())
            bad(subject, where + " ('" + name->string() + "'): \"channels\" must be an array");
        for (size_t k = 0; k < channels->items().size(); ++k) {
            const JsonValue& ch = channels->items()[k];
            const std::string chWhere = where + " ('" + name->string() + "') channels[" + std::to_string(k) + "]";
            if (!ch.isObject())
                bad(subject, chWhere + " must be an object");
            const JsonValue* index = ch.find("channel");
            if (!index || !index->isNumber() || index->number() < 0 || index->number() > 1e15
                || std::floor(index->number()) != index->number())
                bad(subject, chWhere + ": \"channel\" must be a non-negative integer");
            const JsonValue* strategy = ch.find("strategy");
            if (!strategy)
                bad(subject, chWhere + ": \"strategy\" is missing");
            const int64_t c = static_cast<int64_t>(index->number());
            if (plan.hasEntry(name->string(), c))
                bad(subject, chWhere + ": channel " + std::to_string(c) + " is listed twice");
            plan.set(name->string(), c, strategyFromJson(*strategy, subject, chWhere));
        }
    }
    return plan;
}

void FixPlan::save(const std::string& path) const
{
    writeFileAtomically(path, toJson());
}

FixPlan FixPlan::load(const std::string& path)
{
    FixPlan plan = fromJson(readWholeFile(path, int64_t{256} << 20), path);
    plan.origin_ = path;
    return plan;
}

void FixPlan::checkAgainst(const std::map<std::string, int64_t>& layerChannels) const
{
    std::string problems;
    size_t count = 0;
    for (const auto& [key, strategy] : entries_) {
        auto it = layerChannels.find(key.first);
        std::string problem;
        if (it == layerChannels.end())
            problem = "layer '" + key.first + "' is not a Conv/ConvTranspose/Gemm/MatMul layer of the model";
        else if (key.second < 0 || key.second >= it->second)
            problem = "layer '" + key.first + "' has " + std::to_string(it->second) + " output channels, not channel "
                + std::to_string(key.second);
        else
            continue;
        if (problems.find(problem) != std::string::npos)
            continue;  // one line per unknown layer, not per channel
        if (++count <= 5)
            problems += (problems.empty() ? "" : "; ") + problem;
    }
    if (count > 0)
        throw Error(ErrorCode::BadInput, origin_.empty() ? "fix plan" : origin_,
                    problems + (count > 5 ? " (and " + std::to_string(count - 5) + " more)" : ""));
}

} // namespace bg
