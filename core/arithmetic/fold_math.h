#pragma once
// The per-channel arithmetic of QUANT_SPEC §2 (fold), §4 (weight scales), §5 (merged bias) and the
// bias parts of §7 (gamma separation), in double precision. Pure functions of numbers: the analysis
// and the integer backend call these, the tests check them against hand-computed values.
#include "arithmetic/quant_settings.h"
#include "arithmetic/quant_math.h"

#include <cstdint>
#include <vector>

namespace bg {

// §2: σ_c = sqrt(v_c + ε).
double foldSigma(double var, double epsilon);
// §2: a_c = γ_c / σ_c (the fold factor).
double foldFactor(double gamma, double var, double epsilon);
// §2: W'_c,k = a_c · W_c,k, one weight (the export writes the model's layout with it).
double foldedWeight(double foldFactor, double weight);
// §2: W'_c = a_c · W_c.
std::vector<double> foldedWeights(double foldFactor, const std::vector<double>& weights);
// §2: b'_c = a_c · (b_c − μ_c) + β_c.
double foldedBias(double foldFactor, double linearBias, double mean, double beta);

double maxAbs(const std::vector<double>& values);
// §4: max|W| / Q_w, or 1 when the max is 0.
double weightScaleFromMax(double maxAbsWeight, int weightBits);
// §4 for a layer: one scale per output channel; per tensor every entry is the layer-wide scale.
std::vector<double> weightScales(const std::vector<std::vector<double>>& weightsPerChannel, int weightBits,
                                 Granularity granularity);
// §4: q_w = clamp(round(w / s_w), −Q_w, Q_w).
int64_t quantizeWeight(double w, double weightScale, int weightBits);
// §5 "crushed": every q_w of the channel is 0 although the folded weights are not all 0.
bool isCrushed(const std::vector<double>& foldedWeightsOfChannel, double weightScale, int weightBits);

// §5: the merged bias of one channel.
struct MergedBias {
    double exact = 0.0;     // B_c = b'_c / (s_w,c · s_x)
    double rounded = 0.0;   // q_b,c = round(B_c), before saturation (a double: may exceed int64)
    int bits = 1;           // bits(q_b,c)
    bool outOfRange = false;  // bits > n_b
    double headroom = 0.0;  // |q_b,c| / (2^(n_b−1) − 1): above 1 means saturated
};
MergedBias mergedBias(double foldedBias, double weightScale, double inputScale, int biasBits);


// §6 / §7: M_c = a_c · s · s_x / s_y for the weight scale s the codes were rounded with. The naive
// fold (clamp, widen) passes a_c = 1, its a_c being inside W'; separate passes a_c and s_W,c.
double requantMultiplier(double foldFactor, double weightScale, double inputScale, double outputScale);

// §7 constant: q_post,c = round(b'_c / s_y), kept within ±1e12 so that zp_y + q_post cannot
// overflow (the output clamp bounds it to the code range anyway); NaN gives 0.
int64_t constantPostBias(double foldedBias, double outputScale);

// §7 gamma separation: the two bias parts of one channel, before and after saturation.
struct SeparatedBias {
    double preExact = 0.0;  // (b_c − μ_c) / (s_W,c · s_x)
    double preRounded = 0.0;   // round(preExact), before sat_nb
    double postRounded = 0.0;  // round(β_c / s_y), before sat_nb
    int64_t pre = 0;        // q_pre,c = sat_nb(preRounded)
    int64_t post = 0;       // q_post,c = sat_nb(postRounded)
    int bitsPre = 1;
    int bitsPost = 1;
    int bits = 1;           // bits_separated: the larger of bitsPre, bitsPost
    bool fits = true;       // bits <= n_b
};
// unscaledWeightScale is s_W,c = max|W_c| / Q_w from the UNSCALED weights (weightScaleFromMax).
SeparatedBias separatedBias(double linearBias, double mean, double beta, double unscaledWeightScale,
                            double inputScale, double outputScale, int biasBits);

// §7 widen, applied to a numerator x: the smallest scale s ≥ currentScale with
// |round(x / (s · s_x))| ≤ 2^(n_b−1) − 1: ONE register holds the bias (the widen strategy, x = b'_c).
// planSeparation (bias_split.h) searches a different thing, the smallest s_W,c whose split over TWO
// registers is exact, and so has its own search; see the comment there.
double widenedScale(double currentScale, double numerator, double inputScale, int biasBits);

// §7 constant: the channel's output moves less than s_y/2 over the calibration set. With a
// per-tensor calibrated range [lo, hi] of L's output z, the dropped term W'_c·x = a_c·(z_c − b_c)
// is bounded by |a_c| · max(|lo − b_c|, |hi − b_c|); the channel is constant when that is < s_y/2.
bool constantApplies(double foldFactor, double linearBias, double preBnMin, double preBnMax, double outputScale);

} // namespace bg
