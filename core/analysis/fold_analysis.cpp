#include "analysis/fold_analysis.h"

#include "arithmetic/bias_split.h"
#include "arithmetic/fold_math.h"
#include "analysis/layer_fold.h"
#include "io/error.h"
#include "arithmetic/quant_math.h"

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

// The §7 separation problem of one channel (bias_split.h).
SeparationInput separationInput(const ChannelAnalysis& ch, const QuantSettings& s, double inputScale,
                                double outputScale)
{
    SeparationInput si;
    si.foldFactor = ch.foldFactor;
    si.baseScale = ch.separatedWeightScale;
    si.inputScale = inputScale;
    si.outputScale = outputScale;
    si.foldedBias = ch.biasFloat;
    si.preferredPost = ch.beta / outputScale;  // 0 without BN (β = 0)
    si.biasBits = s.biasBits;
    si.maxAbsWeight = ch.maxAbsWeight;
    return si;
}

// §7 auto in the spec's order: in-range fold, constant, separate. Separate places the merged bias
// in both registers and widens s_W,c only where they cannot hold it (SPEC_NOTES "Bias split").
// A layer without BN never has constantApplies: auto separates exactly its saturating channels.
void chooseAuto(ChannelAnalysis& ch, const QuantSettings& s, double inputScale, double outputScale)
{
    const Separation sep = planSeparation(separationInput(ch, s, inputScale, outputScale));
    ch.widened = sep.widened;
    ch.widenedWeightScale = sep.weightScale;
    ch.splitPre = sep.split.pre;
    ch.splitPost = sep.split.post;
    ch.splitError = sep.split.error;
    ch.splitExact = sep.exact;
    ch.splitMultiplier = sep.multiplier;

    if (!ch.outOfRange) {
        ch.autoStrategy = Strategy::Clamp;  // the naive fold, in range: nothing is clamped
        return;
    }
    if (ch.constantApplies) {
        ch.autoStrategy = Strategy::Constant;
        return;
    }
    ch.autoStrategy = Strategy::Separate;
    const std::string registers = "the two " + std::to_string(s.biasBits) + "-bit bias registers";
    if (!sep.exact) {
        ch.unfixable = true;
        appendNote(ch.note, registers + " leave a bias error of " + formatNumber(sep.split.error, 4)
                                + " output steps that no weight scale removes");
        return;
    }
    if (!sep.widened)
        return;
    const double factor = sep.weightScale / ch.separatedWeightScale;
    const double qmax = static_cast<double>(weightQmax(s.weightBits));
    if (sep.widenedToZero) {
        ch.unfixable = true;
        appendNote(ch.note, registers + " hold the bias only with the weight scale widened x" + formatNumber(factor, 4)
                                + ", which rounds every weight of the channel to 0 (it runs as a constant)");
        return;
    }
    appendNote(ch.note, registers + " hold the bias only with the weight scale widened x" + formatNumber(factor, 4)
                            + " (largest weight " + formatNumber(std::min(ch.maxAbsWeight / sep.weightScale, qmax), 3)
                            + " of " + formatNumber(qmax, 3) + " steps, about " + formatNumber(std::log2(factor), 3)
                            + " bits of weight precision lost; without it the bias error is "
                            + formatNumber(sep.residualError, 4) + " output steps)");
}

// The BN inputs and §2 of channel c (a layer without BN keeps γ = β = μ = σ² = 0 and a = 1).
void foldChannel(ChannelAnalysis& ch, const FoldPair& pair, bool hasBn, const LayerFold& fold, size_t c)
{
    ch.channel = static_cast<int64_t>(c);
    if (hasBn) {
        ch.gamma = pair.gamma[c];
        ch.beta = pair.beta[c];
        ch.mean = pair.mean[c];
        ch.var = pair.var[c];
        ch.sigma = foldSigma(ch.var, pair.epsilon);
    }
    ch.linearBias = pair.linearBias[c];
    ch.foldFactor = fold.foldFactor[c];
    ch.biasFloat = fold.foldedBias[c];
    ch.maxAbsWeight = maxAbs(fold.weights[c]);
    ch.maxAbsFoldedWeight = maxAbs(fold.foldedWeights[c]);
}

// What in the channel's own numbers makes its fold meaningless (SPEC_NOTES "Numeric notes"): a NaN
// or infinite parameter, a negative variance, σ = 0 (a zero-size kernel never gets here: the pair
// finder reports its BatchNorm standalone, "weight ... is empty"). The arithmetic runs on anyway
// (every formula is total: NaN gives bits 1024 and a 0 register, never a crash), and the note says
// why the figures of this channel are not numbers a user can act on.
std::string numericNote(const ChannelAnalysis& ch, const FoldPair& pair, bool hasBn, const std::vector<double>& weights)
{
    std::string note;
    auto check = [&note](const char* what, double v) {
        if (std::isnan(v))
            appendNote(note, std::string(what) + " is NaN");
        else if (std::isinf(v))
            appendNote(note, std::string(what) + " is " + (v > 0 ? "+inf" : "-inf"));
    };
    size_t nan = 0, inf = 0;
    for (double w : weights) {
        nan += std::isnan(w) ? 1 : 0;
        inf += std::isinf(w) ? 1 : 0;
    }
    if (nan)
        appendNote(note, std::to_string(nan) + " of its " + std::to_string(weights.size()) + " weights are NaN");
    if (inf)
        appendNote(note, std::to_string(inf) + " of its " + std::to_string(weights.size()) + " weights are infinite");
    check("the bias", ch.linearBias);
    if (!hasBn)
        return note;
    check("BatchNormalization's scale (gamma)", ch.gamma);
    check("BatchNormalization's B (beta)", ch.beta);
    check("BatchNormalization's mean", ch.mean);
    check("BatchNormalization's var", ch.var);
    check("BatchNormalization's epsilon", pair.epsilon);
    const double varEps = ch.var + pair.epsilon;
    if (ch.var < 0)
        appendNote(note, "BatchNormalization's var is negative (" + formatNumber(ch.var, 6) + ")"
                             + (varEps < 0 ? ", so sigma = sqrt(var + epsilon) is not a number" : ""));
    if (varEps == 0)
        appendNote(note, std::string("sigma = sqrt(var + epsilon) is 0, so the fold factor gamma/sigma is ")
                             + (ch.gamma == 0 ? "0/0 (undefined)" : "infinite"));
    return note;
}

// §4–§5 of the naive fold: s_w,c, B_c, q_b,c, bits, and whether the weights are crushed.
void mergeChannel(ChannelAnalysis& ch, const std::vector<double>& foldedWeightsOfChannel, double weightScale,
                  const QuantSettings& s, double inputScale)
{
    ch.weightScale = weightScale;
    const MergedBias mb = mergedBias(ch.biasFloat, weightScale, inputScale, s.biasBits);
    ch.biasExact = mb.exact;
    ch.biasInt = mb.rounded;
    ch.bits = mb.bits;
    ch.outOfRange = mb.outOfRange;
    ch.headroom = mb.headroom;
    ch.crushed = s.granularity == Granularity::PerTensor && isCrushed(foldedWeightsOfChannel, weightScale, s.weightBits);
    if (ch.crushed)
        appendNote(ch.note, "crushed: every folded weight rounds to 0 at the per-tensor weight scale");
}

// §7 constant: the channel's own calibrated pre-BN range when the calibrator recorded it, else the
// tensor's range (which bounds every channel: conservative); never without a range.
bool channelIsConstant(const ChannelAnalysis& ch, const TensorRange* preBn, size_t channels, double outputScale)
{
    if (!preBn)
        return false;
    const size_t c = static_cast<size_t>(ch.channel);
    if (preBn->channelMin.size() == channels)
        return constantApplies(ch.foldFactor, ch.linearBias, preBn->channelMin[c], preBn->channelMax[c], outputScale);
    return constantApplies(ch.foldFactor, ch.linearBias, preBn->min, preBn->max, outputScale);
}

LayerAnalysis analyzePair(const FoldPair& pair, size_t pairIndex, const QuantSettings& s, const RangeTable& ranges)
{
    const TensorRange& xr = requireRange(ranges, pair.input, "input of " + pair.op + " '" + pair.linearName + "'");
    const TensorRange& yr = requireRange(ranges, pair.groupOutput, "output of the fusion group of '" + pair.linearName + "'");
    const TensorRange* preBn = nullptr;
    if (auto it = ranges.find(pair.linearOutput); it != ranges.end())
        preBn = &it->second;
    LayerAnalysis layer = deriveLayer(pair, true, s, activationQuantFromRange(xr.min, xr.max, s.activationBits),
                                      activationQuantFromRange(yr.min, yr.max, s.activationBits), preBn);
    layer.pairIndex = pairIndex;
    layer.name = pair.linearName;
    layer.op = pair.op;
    layer.bn = pair.bnName;
    layer.inputTensor = pair.input;
    layer.preBnTensor = pair.linearOutput;
    layer.outputTensor = pair.groupOutput;
    return layer;
}

} // namespace

LayerAnalysis deriveLayer(const FoldPair& pair, bool hasBn, const QuantSettings& s, const ActivationQuant& input,
                          const ActivationQuant& output, const TensorRange* preBn)
{
    LayerAnalysis layer;
    layer.inputScale = input.scale;
    layer.inputZeroPoint = input.zeroPoint;
    layer.outputScale = output.scale;
    layer.outputZeroPoint = output.zeroPoint;
    if (preBn) {
        layer.hasPreBnRange = true;
        layer.preBnMin = preBn->min;
        layer.preBnMax = preBn->max;
    }

    const LayerFold fold = foldLayer(pair, hasBn);
    const std::vector<double> sw = weightScales(fold.foldedWeights, s.weightBits, s.granularity);  // s_w,c (§4)
    const std::vector<double> sW = weightScales(fold.weights, s.weightBits, s.granularity);        // s_W,c (§7)
    const size_t C = static_cast<size_t>(pair.channels);
    layer.channels.resize(C);
    for (size_t c = 0; c < C; ++c) {
        ChannelAnalysis& ch = layer.channels[c];
        foldChannel(ch, pair, hasBn, fold, c);
        ch.note = numericNote(ch, pair, hasBn, fold.weights[c]);
        mergeChannel(ch, fold.foldedWeights[c], sw[c], s, layer.inputScale);

        ch.separatedWeightScale = sW[c];
        const SeparatedBias sb = separatedBias(ch.linearBias, ch.mean, ch.beta, sW[c], layer.inputScale,
                                               layer.outputScale, s.biasBits);
        ch.preBiasInt = sb.preRounded;
        ch.postBiasInt = sb.postRounded;
        ch.bitsSeparated = sb.bits;

        ch.constantApplies = hasBn && channelIsConstant(ch, preBn, C, layer.outputScale);  // §7 constant is a BN's
        chooseAuto(ch, s, layer.inputScale, layer.outputScale);
        ch.strategy = s.strategy == Strategy::Auto ? ch.autoStrategy : s.strategy;

        layer.outOfRange += ch.outOfRange ? 1 : 0;
        layer.crushed += ch.crushed ? 1 : 0;
        layer.maxBits = std::max(layer.maxBits, ch.bits);
    }
    return layer;
}

namespace {

FoldAnalysis analyzeAllFolds(const Graph& graph, const FoldPairs& pairs, const QuantSettings& settings,
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
        for (const ChannelAnalysis& ch : layer.channels) {
            sum.unfixable += ch.unfixable ? 1 : 0;
            if (!ch.outOfRange)
                continue;
            sum.autoConstant += ch.autoStrategy == Strategy::Constant ? 1 : 0;
            sum.autoSeparate += ch.autoStrategy == Strategy::Separate ? 1 : 0;
            sum.autoWidened += ch.autoStrategy == Strategy::Separate && ch.widened ? 1 : 0;
        }
    }
    return result;
}

} // namespace

FoldAnalysis analyzeFolds(const Graph& graph, const FoldPairs& pairs, const QuantSettings& settings,
                          const RangeTable& ranges)
{
    return withFile(graph.path, [&] { return analyzeAllFolds(graph, pairs, settings, ranges); });
}

} // namespace bg
