#include "integer/quantized_group.h"

#include "analysis/fold_analysis.h"
#include "arithmetic/fold_math.h"
#include "io/error.h"

#include <algorithm>
#include <cmath>

namespace bg {

namespace {

// Code of a real activation bound; ±inf saturate to the ends of the code range.
int64_t boundCode(const ActivationQuant& q, double bound)
{
    return q.quantize(bound);
}

// The requantization's view of the channels (int_requantize.h).
RequantizeParams requantizeParams(const QuantizedGroup& qg)
{
    RequantizeParams p;
    p.multiplier.reserve(qg.channels.size());
    p.preBias.reserve(qg.channels.size());
    p.postBias.reserve(qg.channels.size());
    for (const ChannelRequant& r : qg.channels) {
        p.multiplier.push_back(r.multiplier);
        p.preBias.push_back(r.pre);
        p.postBias.push_back(r.post);
    }
    p.zeroPoint = qg.output.zeroPoint;
    p.bits = qg.output.bits;
    p.clampMin = qg.outLo;
    p.clampMax = qg.outHi;
    p.arithmetic = qg.output.arithmetic;
    return p;
}

// The derivation must be of this group with these activation parameters (NaN equals NaN here).
void requireDerivationOf(const FusionGroup& group, const LayerAnalysis& d, const ActivationQuant& input,
                         const ActivationQuant& output, size_t strategies)
{
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    const size_t C = static_cast<size_t>(group.params.channels);
    if (d.channels.size() != C || strategies != C || !same(d.inputScale, input.scale)
        || !same(d.outputScale, output.scale))
        throw Error(ErrorCode::InvalidModel, group.name,
                    "internal: the derivation or the " + std::to_string(strategies) + " strategies do not match the "
                        + std::to_string(C) + " channels and the activation scales of the group");
}

// Codes of one channel's weights at `scale` (§4).
std::vector<int64_t> weightCodes(const std::vector<double>& weights, double scale, int weightBits)
{
    std::vector<int64_t> codes;
    codes.reserve(weights.size());
    for (double w : weights)
        codes.push_back(quantizeWeight(w, scale, weightBits));
    return codes;
}

// One channel under its strategy, from the derivation; returns its weight codes. W_c: unscaled weights.
std::vector<int64_t> quantizeChannel(ChannelRequant& r, const ChannelAnalysis& ch, const std::vector<double>& W,
                                     const QuantSettings& s, double sx, double sy)
{
    switch (r.strategy) {
    case Strategy::Clamp:
    case Strategy::Widen: {
        // §6 naive fold on W'_c; widen first raises s_w,c until the merged bias fits n_b bits (§7 widen).
        double rounded = ch.biasInt;  // q_b,c of the derivation's s_w,c
        bool outOfRange = ch.outOfRange;
        r.weightScale = ch.weightScale;
        if (r.strategy == Strategy::Widen) {
            r.weightScale = widenedScale(ch.weightScale, ch.biasFloat, sx, s.biasBits);
            const MergedBias mb = mergedBias(ch.biasFloat, r.weightScale, sx, s.biasBits);
            rounded = mb.rounded;
            outOfRange = mb.outOfRange;
        }
        r.pre = saturateSigned(rounded, s.biasBits);
        r.biasSaturated = outOfRange;
        r.multiplier = requantMultiplier(1.0, r.weightScale, sx, sy);
        return weightCodes(foldedWeights(ch.foldFactor, W), r.weightScale, s.weightBits);
    }
    case Strategy::Separate:
        // §7 gamma separation: weights from the UNSCALED W at the derivation's (maybe widened) s_W,c,
        // the merged bias split between the pre- and post-scale registers (bias_split.h). Without a
        // BN, a = 1 and W' = W: only the bias placement differs from the naive fold.
        r.weightScale = ch.widenedWeightScale;
        r.pre = ch.splitPre;
        r.post = ch.splitPost;
        r.multiplier = ch.splitMultiplier;
        r.biasSaturated = !ch.splitExact;
        return weightCodes(W, r.weightScale, s.weightBits);
    case Strategy::Constant:
        r.weightScale = ch.weightScale;
        r.multiplier = 0.0;
        r.post = constantPostBias(ch.biasFloat, sy);
        return std::vector<int64_t>(W.size(), 0);
    case Strategy::Auto:
        break;
    }
    throw Error(ErrorCode::InvalidModel, "", "internal: unresolved auto strategy");
}

} // namespace

QuantizedGroup quantizeGroup(const FusionGroup& group, size_t groupIndex, const QuantSettings& s,
                             const ActivationQuant& input, const ActivationQuant& output,
                             const LayerAnalysis& derivation, const std::vector<Strategy>& strategies)
{
    requireDerivationOf(group, derivation, input, output, strategies.size());
    const FoldPair& p = group.params;
    const size_t C = static_cast<size_t>(p.channels);
    QuantizedGroup qg;
    qg.groupIndex = groupIndex;
    qg.input = input;
    qg.output = output;
    const int64_t qmax = activationQmax(s.activationBits);
    qg.outLo = 0;
    qg.outHi = qmax;
    if (group.activation.kind != FusedActivation::Kind::None) {
        qg.outLo = std::max<int64_t>(0, boundCode(output, group.activation.lo));
        qg.outHi = std::min<int64_t>(qmax, boundCode(output, group.activation.hi));
    }

    // Codes per channel: one entry per weight element of the channel, in W's row-major order.
    const std::vector<std::vector<double>> W = p.weightsByChannel();  // unscaled W (times Gemm's alpha)
    std::vector<std::vector<int64_t>> codes(C);
    qg.channels.resize(C);
    for (size_t c = 0; c < C; ++c) {
        ChannelRequant& r = qg.channels[c];
        r.strategy = strategies[c];
        if (!group.hasBn && r.strategy == Strategy::Constant)
            r.strategy = Strategy::Clamp;  // no calibrated pre-activation range to test; see SPEC_NOTES
        if (r.strategy == Strategy::Auto)
            throw Error(ErrorCode::InvalidModel, group.name, "internal: unresolved auto strategy");
        codes[c] = quantizeChannel(r, derivation.channels[c], W[c], s, input.scale, output.scale);
        if (r.strategy == Strategy::Separate && group.hasBn)
            r.gammaScale = derivation.channels[c].foldFactor;
        qg.saturatedBiases += r.biasSaturated ? 1 : 0;
    }

    // Scatter the per-channel codes back into W's layout.
    qg.weight.shape = p.weightTensor->shape();
    qg.weight.bits = s.weightBits;
    const int64_t numel = p.weightTensor->numel();
    qg.weight.values.resize(static_cast<size_t>(numel));
    std::vector<size_t> next(C, 0);
    for (int64_t k = 0; k < numel; ++k) {
        const size_t c = static_cast<size_t>(p.channelOfWeightIndex(k));
        qg.weight.values[static_cast<size_t>(k)] = static_cast<int8_t>(codes[c][next[c]++]);
    }
    if (p.kind == LinearKind::Conv)
        qg.convWeightSums = intConvWeightSums(qg.weight, group.name);
    qg.requant = requantizeParams(qg);
    if (s.arithmetic == Arithmetic::OnnxRuntime) {
        switch (qdqLayerForm(qg, p.kind)) {
        case QdqLayerForm::FusedOperator:
            for (const ChannelRequant& r : qg.channels)
                qg.requant.multiplierOrt.push_back(ortRequantMultiplier(input.scale, r.weightScale, output.scale));
            break;
        case QdqLayerForm::IntegerChain:
            for (const ChannelRequant& r : qg.channels) {
                qg.requant.chainScale.push_back(qdqChainScale(input.scale, r.weightScale, r.gammaScale));
                qg.requant.chainPost.push_back(ortDequantizeInt32(r.post, output.scale));
            }
            qg.requant.outputScale = static_cast<float>(output.scale);
            break;
        case QdqLayerForm::FloatChain:
            break;
        }
    }
    return qg;
}

QdqLayerForm qdqLayerForm(const QuantizedGroup& qg, LinearKind kind)
{
    if (kind == LinearKind::ConvTranspose)
        return QdqLayerForm::FloatChain;
    const bool folded = std::all_of(qg.channels.begin(), qg.channels.end(), [](const ChannelRequant& r) {
        return r.strategy == Strategy::Clamp || r.strategy == Strategy::Widen;
    });
    return folded && kind != LinearKind::MatMul ? QdqLayerForm::FusedOperator : QdqLayerForm::IntegerChain;
}

float qdqChainScale(double inputScale, double weightScale, double gammaScale)
{
    return static_cast<float>(inputScale * weightScale * gammaScale);
}

bool sameQuantization(const QuantizedGroup& a, const QuantizedGroup& b)
{
    const auto sameAct = [](const ActivationQuant& x, const ActivationQuant& y) {
        return x.scale == y.scale && x.zeroPoint == y.zeroPoint && x.bits == y.bits && x.arithmetic == y.arithmetic;
    };
    const RequantizeParams& p = a.requant;
    const RequantizeParams& q = b.requant;
    return a.weight.shape == b.weight.shape && a.weight.bits == b.weight.bits && a.weight.values == b.weight.values
        && sameAct(a.input, b.input) && sameAct(a.output, b.output) && a.outLo == b.outLo && a.outHi == b.outHi
        && p.multiplier == q.multiplier && p.arithmetic == q.arithmetic && p.multiplierOrt == q.multiplierOrt
        && p.chainScale == q.chainScale && p.chainPost == q.chainPost && p.outputScale == q.outputScale
        && p.preBias == q.preBias && p.postBias == q.postBias
        && p.zeroPoint == q.zeroPoint && p.bits == q.bits && p.clampMin == q.clampMin && p.clampMax == q.clampMax;
}

} // namespace bg
