#include "sweep/fix_sensitivity.h"

#include "comparison/model_comparison.h"
#include "folding/fusion_group.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace bg {

namespace {

double worstSqnr(const ModelComparison& c, bool fixed)
{
    double worst = std::numeric_limits<double>::infinity();
    for (const OutputComparison& o : c.outputs) {
        const double v = fixed ? o.fixed.sqnrDb : o.quantized.sqnrDb;
        if (std::isnan(v) || v < worst)
            worst = v;
    }
    return worst;
}

// SQNR differences where both ends may be +inf (a run equal to the float model).
double gain(double sqnr, double base)
{
    if (sqnr == base)
        return 0.0;
    return sqnr - base;
}

const LayerAnalysis* analysedLayer(const FoldAnalysis& analysis, const std::string& name)
{
    for (const LayerAnalysis& la : analysis.layers)
        if (la.name == name)
            return &la;
    return nullptr;
}

} // namespace

FixPlan restrictPlan(const FixPlan& plan, const std::vector<std::string>& layers, const FoldAnalysis& analysis,
                     const std::map<std::string, int64_t>& layerChannels)
{
    FixPlan restricted(Strategy::Clamp);
    for (const std::string& name : layers) {
        if (const LayerAnalysis* la = analysedLayer(analysis, name)) {
            for (const ChannelAnalysis& ch : la->channels)
                restricted.set(name, ch.channel, plan.resolved(*la, ch));
            continue;
        }
        // A layer without BN has no analysis: its entries as the plan gives them (the integer
        // runtime resolves Auto for it).
        const auto it = layerChannels.find(name);
        for (int64_t c = 0; it != layerChannels.end() && c < it->second; ++c)
            restricted.set(name, c, plan.strategyFor(name, c));
    }
    return restricted;
}

FixSensitivity analyzeFixSensitivity(const ModelStructure& model, const RangeTable& ranges,
                                     const FoldAnalysis& analysis, CalibrationSource& inputs, const FixPlan& plan,
                                     const SensitivityOptions& options)
{
    FloatReferenceCache floatReference;
    const std::map<std::string, int64_t> layerChannels = groupChannels(model.groups);
    size_t done = 0;
    size_t total = 1;
    auto compare = [&](const FixPlan& p, bool perLayer) {
        ComparisonOptions co;
        co.plan = p;
        co.perLayer = perLayer;
        co.exactBiasReference = false;
        co.worstChannels = std::numeric_limits<size_t>::max();  // every channel's error, for the shares
        co.floatReference = &floatReference;
        co.cancel = options.cancel;
        ModelComparison c = compareModel(model, ranges, analysis, inputs, co);
        if (options.progress)
            options.progress(++done, std::max(total, done));
        return c;
    };

    FixSensitivity result;
    result.fraction = options.fraction;
    const ModelComparison full = compare(plan, true);
    result.clampSqnrDb = worstSqnr(full, false);
    result.fixedSqnrDb = worstSqnr(full, true);

    std::vector<const LayerComparison*> candidates;
    for (const LayerComparison& lc : full.layers)
        if (lc.outOfRange > 0)
            candidates.push_back(&lc);
    total = 1 + 2 * candidates.size();

    for (const LayerComparison* lc : candidates) {
        LayerSensitivity ls;
        ls.layer = lc->name;
        ls.outOfRange = lc->outOfRange;
        ls.changedChannels = lc->changedChannels;
        if (lc->changedChannels == 0) {
            ls.sqnrDb = result.clampSqnrDb;  // the plan leaves the layer as clamp: the clamp run itself
        } else {
            const ModelComparison alone = compare(restrictPlan(plan, {lc->name}, analysis, layerChannels), false);
            ls.sqnrDb = worstSqnr(alone, true);
        }
        ls.gainDb = gain(ls.sqnrDb, result.clampSqnrDb);
        double sum = 0.0;
        for (const ChannelError& e : lc->worstQuantized)
            sum += e.mse;
        const LayerAnalysis* la = analysedLayer(analysis, lc->name);
        for (const ChannelError& e : lc->worstQuantized) {
            ChannelShare cs;
            cs.channel = e.channel;
            cs.share = sum > 0 ? e.mse / sum : 0.0;
            if (la)
                for (const ChannelAnalysis& ch : la->channels)
                    if (ch.channel == e.channel)
                        cs.outOfRange = ch.outOfRange;
            ls.channels.push_back(cs);
        }
        result.layers.push_back(std::move(ls));
    }
    std::stable_sort(result.layers.begin(), result.layers.end(), [](const LayerSensitivity& a, const LayerSensitivity& b) {
        return a.gainDb > b.gainDb;
    });

    // The smallest ranked prefix reaching the fraction of the whole plan's gain, measured.
    const double fullGain = gain(result.fixedSqnrDb, result.clampSqnrDb);
    result.neededSqnrDb = result.clampSqnrDb;
    if (!(fullGain > 0)) {
        result.reached = true;  // nothing to gain: the empty plan is the whole plan's worth
        return result;
    }
    std::vector<std::string> chosen;
    for (size_t k = 0; k < result.layers.size(); ++k) {
        const LayerSensitivity& ls = result.layers[k];
        chosen.push_back(ls.layer);
        result.channelsNeeded += ls.changedChannels;
        double sqnr = ls.sqnrDb;  // one layer: its own run
        if (k > 0)
            sqnr = worstSqnr(compare(restrictPlan(plan, chosen, analysis, layerChannels), false), true);
        result.layersNeeded = k + 1;
        result.neededSqnrDb = sqnr;
        if (gain(sqnr, result.clampSqnrDb) >= options.fraction * fullGain) {
            result.reached = true;
            break;
        }
    }
    result.neededPlan = restrictPlan(plan, chosen, analysis, layerChannels);
    return result;
}

} // namespace bg
