#include "analysis/activation_diagnosis.h"

#include "arithmetic/fold_math.h"
#include "arithmetic/shared_scale_cost.h"

#include <algorithm>
#include <limits>
#include <set>

namespace bg {

double medianChannelSpan(const std::vector<double>& channelMin, const std::vector<double>& channelMax)
{
    std::vector<double> spans;
    for (size_t c = 0; c < channelMin.size() && c < channelMax.size(); ++c)
        spans.push_back(channelMax[c] - channelMin[c]);
    if (spans.empty())
        return 0.0;
    std::sort(spans.begin(), spans.end());
    const size_t n = spans.size();
    return n % 2 == 1 ? spans[n / 2] : 0.5 * (spans[n / 2 - 1] + spans[n / 2]);
}

namespace {

std::string consumerOf(const ModelStructure& model, const std::string& tensor, const FusionGroup*& group)
{
    group = nullptr;
    for (const FusionGroup& g : model.groups.groups)
        if (g.input == tensor) {
            group = &g;
            return g.name;
        }
    for (const Node& n : model.graph.nodes)
        if (std::find(n.inputs.begin(), n.inputs.end(), tensor) != n.inputs.end())
            return n.displayName();
    return "(graph output)";
}

} // namespace

std::vector<double> inputNoiseGains(const FusionGroup& g, int64_t inputChannels)
{
    const FoldPair& p = g.params;
    const Tensor& w = *p.weightTensor;
    if (g.kind == LinearKind::MatMul || !w.isFloat() || w.rank() < 2 || inputChannels <= 0 || p.channels <= 0)
        return {};
    const int64_t n = w.numel();
    const int64_t group = std::max<int64_t>(1, p.group);
    const int64_t perFilter = g.kind == LinearKind::Gemm ? 1 : n / (w.dim(0) * w.dim(1));  // kernel elements
    std::vector<double> gains(static_cast<size_t>(inputChannels), 0.0);
    const auto v = w.floats();
    for (int64_t k = 0; k < n; ++k) {
        int64_t in = -1;
        switch (g.kind) {
        case LinearKind::Conv: {  // [O, I/group, k...]
            const int64_t o = k / (w.dim(1) * perFilter);
            in = (o / std::max<int64_t>(1, w.dim(0) / group)) * w.dim(1) + (k / perFilter) % w.dim(1);
            break;
        }
        case LinearKind::ConvTranspose:  // [I, O/group, k...]
            in = k / (w.dim(1) * perFilter);
            break;
        case LinearKind::Gemm:  // transB: [N, K], else [K, N]
            in = p.transB ? k % w.dim(1) : k / w.dim(1);
            break;
        case LinearKind::MatMul:
            return {};
        }
        if (in < 0 || in >= inputChannels)
            return {};
        const int64_t c = p.channelOfWeightIndex(k);
        const double a = g.hasBn ? foldFactor(p.gamma[static_cast<size_t>(c)], p.var[static_cast<size_t>(c)], p.epsilon) : 1.0;
        const double e = a * p.weightMultiplier * static_cast<double>(v[static_cast<size_t>(k)]);
        gains[static_cast<size_t>(in)] += e * e;
    }
    return gains;
}

std::vector<TensorRangeDiagnosis> diagnoseActivationRanges(const ModelStructure& model, const RangeTable& ranges,
                                                           int activationBits)
{
    // Graph order: each group's input, then its output.
    std::vector<std::string> tensors;
    std::set<std::string> seen;
    for (const FusionGroup& g : model.groups.groups)
        for (const std::string& t : {g.input, g.groupOutput})
            if (seen.insert(t).second)
                tensors.push_back(t);

    std::vector<TensorRangeDiagnosis> out;
    for (const std::string& t : tensors) {
        const auto it = ranges.find(t);
        if (it == ranges.end())
            continue;
        const TensorRange& r = it->second;
        const size_t channels = r.channelMin.size();
        if (channels == 0 || r.channelMax.size() != channels || r.channelMeanSquare.size() != channels)
            continue;
        std::vector<ChannelSignal> signal(channels);
        for (size_t c = 0; c < channels; ++c)
            signal[c] = ChannelSignal{r.channelMin[c], r.channelMax[c], r.channelMeanSquare[c]};
        TensorRangeDiagnosis d;
        d.tensor = t;
        const FusionGroup* reader = nullptr;
        d.consumer = consumerOf(model, t, reader);
        if (reader) {
            const std::vector<double> gains = inputNoiseGains(*reader, static_cast<int64_t>(channels));
            d.weightedByConsumer = !gains.empty();
            for (size_t c = 0; c < gains.size(); ++c)
                signal[c].noiseGain = gains[c];
        }
        d.lo = r.min;
        d.hi = r.max;
        d.channels = static_cast<int64_t>(channels);
        d.medianChannelSpan = medianChannelSpan(r.channelMin, r.channelMax);
        d.ratio = d.medianChannelSpan > 0.0 ? (r.max - r.min) / d.medianChannelSpan
                                            : std::numeric_limits<double>::infinity();
        d.estCostDb = sharedScaleCostDb(signal, r.min, r.max, activationBits);
        out.push_back(std::move(d));
    }
    std::stable_sort(out.begin(), out.end(), [](const TensorRangeDiagnosis& a, const TensorRangeDiagnosis& b) {
        return a.estCostDb > b.estCostDb;
    });
    return out;
}

} // namespace bg
