#include "quantization/quantized_group.h"

#include "analysis/bias_split.h"
#include "analysis/fold_math.h"
#include "model/error.h"

#include <algorithm>
#include <cmath>

namespace bg {

namespace {

// sat_nb(round(x)) on a double that may be huge or NaN; reports whether it saturated.
int64_t saturatedRound(double exact, int bits, bool& saturated)
{
    const double r = roundHalfAway(exact);
    const double lo = static_cast<double>(signedMin(bits));
    const double hi = static_cast<double>(signedMax(bits));
    if (std::isnan(r)) {
        saturated = true;
        return 0;
    }
    if (r < lo || r > hi)
        saturated = true;
    return static_cast<int64_t>(std::clamp(r, lo, hi));
}

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
    return p;
}

} // namespace

QuantizedGroup quantizeGroup(const FusionGroup& group, size_t groupIndex, const QuantSettings& s,
                             const ActivationQuant& input, const ActivationQuant& output,
                             const std::vector<Strategy>& strategies)
{
    const FoldPair& p = group.params;
    const size_t C = static_cast<size_t>(p.channels);
    if (strategies.size() != C)
        throw Error(ErrorCode::InvalidModel, group.name,
                    "internal: " + std::to_string(strategies.size()) + " strategies for " + std::to_string(C)
                        + " channels");
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

    // Per-channel double weights (unscaled W, times Gemm's alpha) and the fold of §2.
    const std::vector<std::vector<double>> W = p.weightsByChannel();
    std::vector<double> a(C, 1.0), bFolded(C);
    std::vector<std::vector<double>> folded(C);
    for (size_t c = 0; c < C; ++c) {
        if (group.hasBn) {
            a[c] = foldFactor(p.gamma[c], p.var[c], p.epsilon);
            bFolded[c] = foldedBias(a[c], p.linearBias[c], p.mean[c], p.beta[c]);
            folded[c] = foldedWeights(a[c], W[c]);
        } else {
            bFolded[c] = p.linearBias[c];
            folded[c] = W[c];
        }
    }
    const std::vector<double> sw = weightScales(folded, s.weightBits, s.granularity);   // s_w,c (§4)
    const std::vector<double> sW = weightScales(W, s.weightBits, s.granularity);        // s_W,c (§7)
    const double sx = input.scale;
    const double sy = output.scale;

    // Codes per channel: one entry per weight element of the channel, in W's row-major order.
    std::vector<std::vector<int64_t>> codes(C);
    qg.channels.resize(C);
    for (size_t c = 0; c < C; ++c) {
        Strategy st = strategies[c];
        if (!group.hasBn && st == Strategy::Auto) {
            // Without a BN auto separates exactly the channels whose naive bias would saturate:
            // the bias then spans both registers (bias_split.h), the weights are unchanged.
            const double q = roundHalfAway(bFolded[c] / (sw[c] * sx));
            const bool fits = q >= static_cast<double>(signedMin(s.biasBits)) && q <= static_cast<double>(signedMax(s.biasBits));
            st = fits ? Strategy::Clamp : Strategy::Separate;  // (a NaN q does not fit)
        }
        if (!group.hasBn && st == Strategy::Constant)
            st = Strategy::Clamp;  // no calibrated pre-activation range to test; see SPEC_NOTES
        if (st == Strategy::Auto)
            throw Error(ErrorCode::InvalidModel, group.name, "internal: unresolved auto strategy");
        ChannelRequant& r = qg.channels[c];
        r.strategy = st;
        bool sat = false;
        switch (st) {
        case Strategy::Clamp:
        case Strategy::Widen: {
            // §6 naive fold; widen first raises s_w,c until the merged bias fits n_b bits (§7 widen).
            const double scale = st == Strategy::Widen ? widenedScale(sw[c], bFolded[c], sx, s.biasBits) : sw[c];
            r.weightScale = scale;
            codes[c].reserve(folded[c].size());
            for (double w : folded[c])
                codes[c].push_back(quantizeWeight(w, scale, s.weightBits));
            r.pre = saturatedRound(bFolded[c] / (scale * sx), s.biasBits, sat);
            r.multiplier = scale * sx / sy;
            r.post = 0;
            break;
        }
        case Strategy::Separate: {
            // §7 gamma separation: weights from the UNSCALED W; the merged bias split between the
            // pre- and post-scale registers, s_W,c widened only where the registers cannot hold it (bias_split.h).
            // Without a BN, a = 1 and W' = W: only the bias placement differs from the naive fold.
            SeparationInput si;
            si.foldFactor = a[c];
            si.baseScale = sW[c];
            si.inputScale = sx;
            si.outputScale = sy;
            si.foldedBias = bFolded[c];
            si.preferredPost = group.hasBn ? p.beta[c] / sy : 0.0;
            si.biasBits = s.biasBits;
            si.maxAbsWeight = maxAbs(W[c]);
            const Separation sep = planSeparation(si);
            r.weightScale = sep.weightScale;
            codes[c].reserve(W[c].size());
            for (double w : W[c])
                codes[c].push_back(quantizeWeight(w, sep.weightScale, s.weightBits));
            r.pre = sep.split.pre;
            r.post = sep.split.post;
            r.multiplier = sep.multiplier;
            sat = !sep.exact;
            break;
        }
        case Strategy::Constant: {
            r.weightScale = sw[c];
            codes[c].assign(folded[c].size(), 0);
            r.multiplier = 0.0;
            r.pre = 0;
            // round(b'/s_y) kept within a range where zp_y + post cannot overflow; the output clamp
            // then bounds it to the code range anyway.
            const double q = roundHalfAway(bFolded[c] / sy);
            r.post = std::isnan(q) ? 0 : static_cast<int64_t>(std::clamp(q, -1e12, 1e12));
            break;
        }
        case Strategy::Auto:
            break;
        }
        r.biasSaturated = sat;
        qg.saturatedBiases += sat ? 1 : 0;
    }

    // Scatter the per-channel codes back into W's layout.
    qg.weight.shape = p.weightTensor.shape();
    qg.weight.bits = s.weightBits;
    const int64_t numel = p.weightTensor.numel();
    qg.weight.values.resize(static_cast<size_t>(numel));
    std::vector<size_t> next(C, 0);
    for (int64_t k = 0; k < numel; ++k) {
        const size_t c = static_cast<size_t>(p.channelOfWeightIndex(k));
        qg.weight.values[static_cast<size_t>(k)] = static_cast<int8_t>(codes[c][next[c]++]);
    }
    qg.requant = requantizeParams(qg);
    return qg;
}

} // namespace bg
