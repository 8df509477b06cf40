#include "analysis/fold_analysis.h"

#include "analysis/fold_math.h"
#include "model/error.h"
#include "quantization/quant_math.h"

#include <algorithm>
#include <cmath>
#include <charconv>

namespace bg {

namespace {

const TensorRange& requireRange(const RangeTable& ranges, const std::string& tensor, const std::string& role)
{
    auto it = ranges.find(tensor);
    if (it == ranges.end())
        throw Error(ErrorCode::MissingTensor, tensor,
                    "no calibrated range for this tensor (" + role + "); run calibration before the fold analysis");
    return it->second;
}

std::string formatNumber(double v, int digits)
{
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
    return std::string(buf, res.ptr);
}

void appendNote(std::string& note, const std::string& text)
{
    if (!note.empty())
        note += "; ";
    note += text;
}

// What one channel's input looks like, for weighing the widened separation against the clamp.
struct ChannelInputStats {
    double fanIn = 0.0;  // weights per output channel (K)
    double inputRms = 0.0;  // estimate of RMS(x) over the calibrated range (uniform assumption)
};

// §7 auto: the first strategy that fits, in the spec's order — except that a widened separation is
// only chosen when it is expected to cost less than the naive fold's saturated bias (SPEC_NOTES,
// "Auto never picks a remedy worse than the baseline").
void chooseAuto(ChannelAnalysis& ch, int biasBits, int weightBits, double inputScale, const ChannelInputStats& in)
{
    const std::string nb = std::to_string(biasBits);
    if (!ch.outOfRange) {
        ch.autoStrategy = Strategy::Clamp;  // the naive fold, in range: nothing is clamped
        ch.widenedWeightScale = ch.separatedWeightScale;
        return;
    }
    if (ch.constantApplies) {
        ch.autoStrategy = Strategy::Constant;
        ch.widenedWeightScale = ch.separatedWeightScale;
        return;
    }
    ch.autoStrategy = Strategy::Separate;
    ch.widenedWeightScale = ch.separatedWeightScale;
    if (ch.bitsSeparated <= biasBits)
        return;
    const int bitsPost = bitsOfValue(ch.postBiasInt);
    if (bitsPost > biasBits) {
        ch.unfixable = true;
        appendNote(ch.note, "post-scale bias round(beta/s_y) needs " + std::to_string(bitsPost) + " bits > " + nb
                                + "; no strategy fits this channel");
        return;
    }
    // Only q_pre overflows: widen s_W,c until it fits; the weights lose precision instead.
    const double numerator = ch.linearBias - ch.mean;
    const double widenedScaleValue = widenedScale(ch.separatedWeightScale, numerator, inputScale, biasBits);
    ch.widened = widenedScaleValue > ch.separatedWeightScale;
    ch.widenedWeightScale = widenedScaleValue;
    const double factor = widenedScaleValue / ch.separatedWeightScale;
    const int bitsPre = bitsOfValue(ch.preBiasInt);
    if (bitsPre > biasBits && !ch.widened) {
        ch.unfixable = true;
        appendNote(ch.note, "separated pre-scale bias needs " + std::to_string(bitsPre) + " bits > " + nb
                                + " and widening the weight scale cannot fix it");
        return;
    }
    // Largest |q_w| left after widening: below 0.5 every weight of the channel rounds to 0.
    const double largestQ = ch.maxAbsWeight / widenedScaleValue;
    const double qmax = static_cast<double>(weightQmax(weightBits));
    if (ch.maxAbsWeight > 0.0 && roundHalfAway(largestQ) == 0.0) {
        ch.unfixable = true;
        appendNote(ch.note, "separated pre-scale bias needs " + std::to_string(bitsPre) + " bits > " + nb
                                + "; widening the weight scale x" + formatNumber(factor, 4)
                                + " rounds every weight of the channel to 0");
        return;
    }
    // Expected error at the BN output, in real units (fold_math.h): widen only when it costs less.
    const double clampError = saturationError(ch.biasExact, ch.weightScale, inputScale, biasBits);
    const double widenError = wideningNoise(std::fabs(ch.foldFactor), in.fanIn, ch.separatedWeightScale,
                                            widenedScaleValue, in.inputRms);
    if (!(widenError < clampError)) {
        ch.autoStrategy = Strategy::Clamp;
        ch.widened = false;
        ch.widenedWeightScale = ch.separatedWeightScale;
        ch.unfixable = true;
        appendNote(ch.note, "separated pre-scale bias needs " + std::to_string(bitsPre) + " bits > " + nb
                                + "; widening the weight scale x" + formatNumber(factor, 4) + " would add about "
                                + formatNumber(widenError, 3) + " of rounding noise, more than the "
                                + formatNumber(clampError, 3) + " the saturated bias costs: kept the naive fold");
        return;
    }
    appendNote(ch.note, "separated pre-scale bias needs " + std::to_string(bitsPre) + " bits > " + nb
                            + "; weight scale widened x" + formatNumber(factor, 4) + " (largest weight "
                            + formatNumber(std::min(largestQ, qmax), 3) + " of " + formatNumber(qmax, 3)
                            + " steps, about " + formatNumber(std::log2(factor), 3)
                            + " bits of weight precision lost)");
}

LayerAnalysis analyzePair(const FoldPair& pair, size_t pairIndex, const QuantSettings& s, const RangeTable& ranges)
{
    LayerAnalysis layer;
    layer.pairIndex = pairIndex;
    layer.name = pair.linearName;
    layer.op = pair.op;
    layer.bn = pair.bnName;
    layer.inputTensor = pair.input;
    layer.preBnTensor = pair.linearOutput;
    layer.outputTensor = pair.groupOutput;

    const TensorRange& xr = requireRange(ranges, pair.input, "input of " + pair.op + " '" + pair.linearName + "'");
    const TensorRange& yr = requireRange(ranges, pair.groupOutput, "output of the fusion group of '" + pair.linearName + "'");
    const ActivationQuant xq = activationQuantFromRange(xr.min, xr.max, s.activationBits);
    const ActivationQuant yq = activationQuantFromRange(yr.min, yr.max, s.activationBits);
    layer.inputScale = xq.scale;
    layer.inputZeroPoint = xq.zeroPoint;
    layer.outputScale = yq.scale;
    layer.outputZeroPoint = yq.zeroPoint;
    const TensorRange* preBnChannels = nullptr;
    if (auto it = ranges.find(pair.linearOutput); it != ranges.end()) {
        preBnChannels = &it->second;
        layer.hasPreBnRange = true;
        layer.preBnMin = it->second.min;
        layer.preBnMax = it->second.max;
    }

    const auto weights = pair.weightsByChannel();
    const size_t C = static_cast<size_t>(pair.channels);
    std::vector<double> a(C);
    std::vector<std::vector<double>> folded(C);
    for (size_t c = 0; c < C; ++c) {
        a[c] = foldFactor(pair.gamma[c], pair.var[c], pair.epsilon);
        folded[c] = foldedWeights(a[c], weights[c]);
    }
    const std::vector<double> sw = weightScales(folded, s.weightBits, s.granularity);
    const std::vector<double> sW = weightScales(weights, s.weightBits, s.granularity);
    const bool perTensor = s.granularity == Granularity::PerTensor;

    ChannelInputStats inputStats;
    inputStats.inputRms = uniformRms(xr.min, xr.max);

    layer.channels.resize(C);
    for (size_t c = 0; c < C; ++c) {
        inputStats.fanIn = static_cast<double>(weights[c].size());
        ChannelAnalysis& ch = layer.channels[c];
        ch.channel = static_cast<int64_t>(c);
        ch.gamma = pair.gamma[c];
        ch.beta = pair.beta[c];
        ch.mean = pair.mean[c];
        ch.var = pair.var[c];
        ch.linearBias = pair.linearBias[c];
        ch.sigma = foldSigma(ch.var, pair.epsilon);
        ch.foldFactor = a[c];
        ch.biasFloat = foldedBias(a[c], ch.linearBias, ch.mean, ch.beta);
        ch.maxAbsWeight = maxAbs(weights[c]);
        ch.maxAbsFoldedWeight = maxAbs(folded[c]);

        ch.weightScale = sw[c];
        const MergedBias mb = mergedBias(ch.biasFloat, sw[c], layer.inputScale, s.biasBits);
        ch.biasExact = mb.exact;
        ch.biasInt = mb.rounded;
        ch.bits = mb.bits;
        ch.outOfRange = mb.outOfRange;
        ch.headroom = mb.headroom;
        ch.crushed = perTensor && isCrushed(folded[c], sw[c], s.weightBits);
        if (ch.crushed)
            appendNote(ch.note, "crushed: every folded weight rounds to 0 at the per-tensor weight scale");

        ch.separatedWeightScale = sW[c];
        const SeparatedBias sb = separatedBias(ch.linearBias, ch.mean, ch.beta, sW[c], layer.inputScale,
                                               layer.outputScale, s.biasBits);
        ch.preBiasInt = sb.preRounded;
        ch.postBiasInt = sb.postRounded;
        ch.bitsSeparated = sb.bits;

        // §7 constant: the channel's own calibrated pre-BN range when the calibrator recorded it,
        // else the tensor's range (which bounds every channel: conservative).
        if (preBnChannels && preBnChannels->channelMin.size() == C)
            ch.constantApplies = constantApplies(a[c], ch.linearBias, preBnChannels->channelMin[c],
                                                 preBnChannels->channelMax[c], layer.outputScale);
        else
            ch.constantApplies = layer.hasPreBnRange
                && constantApplies(a[c], ch.linearBias, layer.preBnMin, layer.preBnMax, layer.outputScale);

        chooseAuto(ch, s.biasBits, s.weightBits, layer.inputScale, inputStats);
        ch.strategy = s.strategy == Strategy::Auto ? ch.autoStrategy : s.strategy;

        layer.outOfRange += ch.outOfRange ? 1 : 0;
        layer.crushed += ch.crushed ? 1 : 0;
        layer.maxBits = std::max(layer.maxBits, ch.bits);
    }
    return layer;
}

} // namespace

FoldAnalysis analyzeFolds(const Graph& graph, const FoldPairs& pairs, const QuantSettings& settings,
                          const RangeTable& ranges)
{
    settings.validate();
    FoldAnalysis result;
    result.settings = settings;
    result.modelPath = graph.path;
    result.opset = graph.opset;
    result.producer = graph.producerName;
    if (!graph.producerVersion.empty())
        result.producer += (result.producer.empty() ? "" : " ") + graph.producerVersion;
    result.standalone = pairs.standalone;

    result.layers.reserve(pairs.pairs.size());
    for (size_t p = 0; p < pairs.pairs.size(); ++p)
        result.layers.push_back(analyzePair(pairs.pairs[p], p, settings, ranges));

    AnalysisSummary& sum = result.summary;
    sum.pairs = static_cast<int64_t>(result.layers.size());
    sum.standaloneBn = static_cast<int64_t>(result.standalone.size());
    for (const LayerAnalysis& layer : result.layers) {
        sum.channels += static_cast<int64_t>(layer.channels.size());
        sum.outOfRange += layer.outOfRange;
        sum.crushed += layer.crushed;
        sum.maxBits = std::max(sum.maxBits, layer.maxBits);
        for (const ChannelAnalysis& ch : layer.channels)
            sum.unfixable += ch.unfixable ? 1 : 0;
    }
    return result;
}

} // namespace bg
