#pragma once
// The fix plan: which §7 strategy each output channel of each foldable layer uses in the integer
// pipeline. A plain copyable value (the GUI keeps an undo stack of plans), filled from a
// FoldAnalysis, edited per channel, and saved/loaded as JSON.
//
// A channel without an entry uses the plan's default strategy. Entries and the default may be
// Strategy::Auto; the integer runtime resolves Auto per channel from the analysis (§7 auto).
#include "analysis/fold_analysis.h"
#include "arithmetic/quant_settings.h"
#include "io/json_reader.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bg {

using ChannelKey = std::pair<std::string, int64_t>;  // (layer name = L's display name, channel)

class FixPlan {
public:
    FixPlan() = default;
    explicit FixPlan(Strategy defaultStrategy) : default_(defaultStrategy) {}

    // Auto fill: one entry per channel of every layer of the analysis, holding the channel's
    // resolved strategy (ChannelAnalysis::strategy: settings.strategy, Auto resolved per channel).
    static FixPlan fromAnalysis(const FoldAnalysis& analysis);

    Strategy defaultStrategy() const { return default_; }
    void setDefaultStrategy(Strategy s) { default_ = s; }

    // Per-channel override (replaces any entry).
    void set(const std::string& layer, int64_t channel, Strategy strategy);
    // Every channel of `layer` that has an entry, or `channels` new entries when given (>= 0).
    void setLayer(const std::string& layer, int64_t channels, Strategy strategy);
    void erase(const std::string& layer, int64_t channel);
    // The entry, else the default.
    Strategy strategyFor(const std::string& layer, int64_t channel) const;
    bool hasEntry(const std::string& layer, int64_t channel) const;

    const std::map<ChannelKey, Strategy>& entries() const { return entries_; }
    size_t size() const { return entries_.size(); }

    // The strategy a channel of an analysed layer runs: the entry or default, Auto resolved by the
    // analysis (§7 auto). Never Auto.
    Strategy resolved(const LayerAnalysis& layer, const ChannelAnalysis& channel) const;
    // resolved() for every channel, indexed like FoldPairs::pairs (LayerAnalysis::pairIndex).
    std::vector<std::vector<Strategy>> resolvedPerPair(const FoldAnalysis& analysis) const;
    // This plan with one entry per channel of every analysed layer holding resolved() (never Auto):
    // what a fix applied, saved so that it can be re-applied (--save-plan) and recorded in the
    // fixed model. The default and the entries of other layers (groups without BN) are kept, so
    // re-applying it reproduces every group's strategy.
    FixPlan resolvedAgainst(const FoldAnalysis& analysis) const;

    // Channels per strategy over the analysis' channels, with Auto resolved by the analysis
    // (the figures reports show). Every strategy appears, with 0 when unused.
    std::map<Strategy, int64_t> counts(const FoldAnalysis& analysis) const;
    // Channels per strategy over the entries as stored (Auto counted as auto).
    std::map<Strategy, int64_t> entryCounts() const;

    // JSON: {"format": "biasguard-fix-plan", "version": 1, "default": "auto",
    //        "layers": [{"name": "conv1", "channels": [{"channel": 0, "strategy": "separate"}, ...]}]}
    std::string toJson() const;
    // Throws bg::Error(BadInput) naming `subject` (the file) and what is wrong.
    static FixPlan fromJson(const std::string& text, const std::string& subject);
    // The same from a parsed value (a plan inside another JSON document: the fixed model's metadata).
    static FixPlan fromJsonValue(const JsonValue& root, const std::string& subject);
    // Atomic write; throws bg::Error(WriteFailed) naming the path.
    void save(const std::string& path) const;
    // Throws bg::Error naming the path (FileNotFound, FileUnreadable, BadInput).
    static FixPlan load(const std::string& path);

    // Where the plan came from (the file load() read), for messages; empty for a plan built in
    // memory. Not part of the plan's value: operator== ignores it.
    const std::string& origin() const { return origin_; }

    // Every entry must name a layer of `layerChannels` (layer name -> output channels) and one of its
    // channels; throws bg::Error(BadInput) naming origin() (else "fix plan") and every entry that
    // does not, so a typo in a plan is never silently a no-op.
    void checkAgainst(const std::map<std::string, int64_t>& layerChannels) const;

    bool operator==(const FixPlan& other) const { return default_ == other.default_ && entries_ == other.entries_; }

private:
    std::string origin_;
    Strategy default_ = Strategy::Auto;
    std::map<ChannelKey, Strategy> entries_;
};

} // namespace bg
