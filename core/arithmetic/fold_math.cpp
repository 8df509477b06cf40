#include "arithmetic/fold_math.h"

#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bg {

double foldSigma(double var, double epsilon)
{
    return std::sqrt(var + epsilon);
}

double foldFactor(double gamma, double var, double epsilon)
{
    return gamma / foldSigma(var, epsilon);
}

double foldedWeight(double a, double weight)
{
    return a * weight;
}

std::vector<double> foldedWeights(double a, const std::vector<double>& weights)
{
    std::vector<double> out(weights.size());
    for (size_t k = 0; k < weights.size(); ++k)
        out[k] = foldedWeight(a, weights[k]);
    return out;
}

double foldedBias(double a, double linearBias, double mean, double beta)
{
    return a * (linearBias - mean) + beta;
}

double maxAbs(const std::vector<double>& values)
{
    double m = 0.0;
    for (double v : values) {
        const double av = std::fabs(v);
        if (std::isnan(av))
            return av;  // a NaN weight makes the scale NaN rather than silently ignored
        m = std::max(m, av);
    }
    return m;
}

double weightScaleFromMax(double maxAbsWeight, int weightBits)
{
    if (maxAbsWeight == 0.0)
        return 1.0;
    return maxAbsWeight / static_cast<double>(weightQmax(weightBits));
}

std::vector<double> weightScales(const std::vector<std::vector<double>>& weightsPerChannel, int weightBits,
                                 Granularity granularity)
{
    std::vector<double> maxima;
    maxima.reserve(weightsPerChannel.size());
    for (const auto& w : weightsPerChannel)
        maxima.push_back(maxAbs(w));
    std::vector<double> scales(maxima.size());
    if (granularity == Granularity::PerTensor) {
        double m = 0.0;
        for (double v : maxima)
            m = std::isnan(v) || std::isnan(m) ? std::numeric_limits<double>::quiet_NaN() : std::max(m, v);
        std::fill(scales.begin(), scales.end(), weightScaleFromMax(m, weightBits));
    } else {
        for (size_t c = 0; c < maxima.size(); ++c)
            scales[c] = weightScaleFromMax(maxima[c], weightBits);
    }
    return scales;
}

int64_t quantizeWeight(double w, double weightScale, int weightBits)
{
    const double qmax = static_cast<double>(weightQmax(weightBits));
    const double q = roundHalfAway(w / weightScale);
    if (std::isnan(q))
        return 0;
    return static_cast<int64_t>(std::clamp(q, -qmax, qmax));
}

bool isCrushed(const std::vector<double>& folded, double weightScale, int weightBits)
{
    bool anyNonZero = false;
    for (double w : folded) {
        if (w == 0.0)
            continue;
        anyNonZero = true;
        if (quantizeWeight(w, weightScale, weightBits) != 0)
            return false;
    }
    return anyNonZero;
}

static double biasLimit(int biasBits)
{
    return static_cast<double>(signedMax(biasBits));
}

MergedBias mergedBias(double foldedBiasValue, double weightScale, double inputScale, int biasBits)
{
    MergedBias m;
    m.exact = foldedBiasValue / (weightScale * inputScale);
    m.rounded = roundHalfAway(m.exact);
    m.bits = bitsNeeded(m.rounded);
    m.outOfRange = m.bits > biasBits;
    m.headroom = std::fabs(m.rounded) / biasLimit(biasBits);
    return m;
}

double requantMultiplier(double foldFactor, double weightScale, double inputScale, double outputScale)
{
    return foldFactor * weightScale * inputScale / outputScale;
}

int64_t constantPostBias(double foldedBiasValue, double outputScale)
{
    const double q = roundHalfAway(foldedBiasValue / outputScale);
    return std::isnan(q) ? 0 : static_cast<int64_t>(std::clamp(q, -1e12, 1e12));
}

SeparatedBias separatedBias(double linearBias, double mean, double beta, double unscaledWeightScale,
                            double inputScale, double outputScale, int biasBits)
{
    SeparatedBias s;
    s.preExact = (linearBias - mean) / (unscaledWeightScale * inputScale);
    s.preRounded = roundHalfAway(s.preExact);
    s.postRounded = roundHalfAway(beta / outputScale);
    s.pre = saturateSigned(s.preRounded, biasBits);
    s.post = saturateSigned(s.postRounded, biasBits);
    s.bitsPre = bitsNeeded(s.preRounded);
    s.bitsPost = bitsNeeded(s.postRounded);
    s.bits = std::max(s.bitsPre, s.bitsPost);
    s.fits = s.bits <= biasBits;
    return s;
}

double widenedScale(double currentScale, double numerator, double inputScale, int biasBits)
{
    if (!std::isfinite(numerator) || !std::isfinite(currentScale) || !(inputScale > 0.0))
        return currentScale;
    const double limit = biasLimit(biasBits);
    double s = std::max(currentScale, std::fabs(numerator) / (inputScale * limit));
    // The division above can land one ulp short; step up until the rounded bias really fits.
    for (int k = 0; k < 64 && std::fabs(roundHalfAway(numerator / (s * inputScale))) > limit; ++k)
        s = std::nextafter(s, std::numeric_limits<double>::infinity());
    return s;
}

bool constantApplies(double a, double linearBias, double preBnMin, double preBnMax, double outputScale)
{
    const double reach = std::max(std::fabs(preBnMin - linearBias), std::fabs(preBnMax - linearBias));
    return std::fabs(a) * reach < outputScale / 2.0;
}

} // namespace bg
