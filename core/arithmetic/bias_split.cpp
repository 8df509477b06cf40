#include "arithmetic/bias_split.h"

#include "arithmetic/fold_math.h"
#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace bg {

namespace {

// Among the candidates within `bound` of the target, the one whose post part is closest to the
// preferred one; when none is that close, the most exact.
struct SplitSearch {
    double target, multiplier, preferred, bound;
    BiasSplit best;
    bool have = false, bestWithin = false;
    double bestDistance = 0.0;

    void consider(double p, double q)
    {
        BiasSplit c{static_cast<int64_t>(p), static_cast<int64_t>(q), std::fabs(multiplier * p + q - target)};
        const bool within = c.error <= bound;
        const double distance = std::fabs(q - preferred);
        bool take = !have;
        if (have && within != bestWithin)
            take = within;
        else if (have && within)
            take = distance < bestDistance || (distance == bestDistance && c.error < best.error);
        else if (have)
            take = c.error < best.error || (c.error == best.error && distance < bestDistance);
        if (take) {
            best = c;
            have = true;
            bestWithin = within;
            bestDistance = distance;
        }
    }
};

} // namespace

BiasSplit splitBias(double target, double multiplier, int biasBits, double preferredPost)
{
    const double lo = static_cast<double>(signedMin(biasBits));
    const double hi = static_cast<double>(signedMax(biasBits));
    const auto reg = [&](double v) { return std::isnan(v) ? 0.0 : std::clamp(v, lo, hi); };
    BiasSplit none;
    if (std::isnan(target)) {
        none.error = target;
        return none;
    }
    const double preferred = reg(roundHalfAway(preferredPost));
    // An in-range fold's own bias rounding, with a little slack for the double arithmetic.
    const double bound = std::min(std::fabs(multiplier), 1.0) / 2.0 * (1.0 + 1e-12);
    SplitSearch search{target, multiplier, preferred, bound, {}, false, false, 0.0};
    if (multiplier == 0.0 || !std::isfinite(multiplier)) {
        search.multiplier = 0.0;  // the pre part is worth nothing (a NaN/inf M is not used either)
        search.consider(0.0, reg(roundHalfAway(target)));
        return search.best;
    }
    // Post-side candidates: for a post part q the best pre part is sat(round((target − q)/M)).
    // Every q in [target − M·hi, target − M·lo] (ordered) leaves a pre part that fits, so the
    // error is at most |M|/2 there; outside, it grows with the distance to that interval.
    const double e1 = target - multiplier * hi, e2 = target - multiplier * lo;
    const double iLo = std::min(e1, e2), iHi = std::max(e1, e2);
    const double inside = std::clamp(preferred, std::ceil(iLo), std::max(std::ceil(iLo), std::floor(iHi)));
    for (double q : {preferred, inside, std::floor(iLo), std::ceil(iLo), std::floor(iHi), std::ceil(iHi)}) {
        q = reg(q);
        search.consider(reg(roundHalfAway((target - q) / multiplier)), q);
    }
    // Pre-side candidates: with |M| > 1 a pre step is coarser than a post step, so fix the pre
    // part and let the post part take the remainder (error ≤ ½ then).
    const double p0 = reg(roundHalfAway((target - preferred) / multiplier));
    for (double p : {p0 - 1.0, p0, p0 + 1.0}) {
        p = reg(p);
        search.consider(p, reg(roundHalfAway(target - multiplier * p)));
    }
    return search.best;
}

Separation planSeparation(const SeparationInput& in)
{
    const double target = in.foldedBias / in.outputScale;
    const auto multiplierFor = [&](double scale) {
        return requantMultiplier(in.foldFactor, scale, in.inputScale, in.outputScale);
    };

    Separation r;
    r.weightScale = in.baseScale;
    r.multiplier = multiplierFor(in.baseScale);
    r.split = splitBias(target, r.multiplier, in.biasBits, in.preferredPost);
    r.exact = r.split.error <= 0.5;
    r.residualError = r.split.error;
    if (r.exact || !std::isfinite(target) || !std::isfinite(r.multiplier) || in.foldFactor == 0.0)
        return r;  // fits, or nothing a wider weight scale can change

    // §7's last rule, "widen s_W,c until it fits", applied to the split: the registers hold at most
    // postMax + |M|·preMax output steps of the target's sign, so start from the smallest |M| that
    // reaches |target| (within ½ step) and nudge up until the split is exact. Not widenedScale
    // (fold_math.h): that one makes a single register hold round(x/(s·s_x)), a monotone test one ulp
    // step settles; here the test is the split's error, which moves with M through both rounded
    // parts and needs geometric steps. Same idea (closed-form start, nudge up), different predicate.
    const double regMax = target >= 0 ? static_cast<double>(signedMax(in.biasBits))
                                       : -static_cast<double>(signedMin(in.biasBits));
    const double needM = (std::fabs(target) - regMax - 0.5) / regMax;
    double scale = std::max(in.baseScale, needM * in.outputScale / (std::fabs(in.foldFactor) * in.inputScale));
    BiasSplit split = splitBias(target, multiplierFor(scale), in.biasBits, in.preferredPost);
    double step = 1e-15;
    for (int k = 0; k < 200 && !(split.error <= 0.5); ++k, step *= 2.0) {
        scale *= 1.0 + step;
        split = splitBias(target, multiplierFor(scale), in.biasBits, in.preferredPost);
    }
    if (!(split.error <= 0.5))
        return r;
    r.weightScale = scale;
    r.multiplier = multiplierFor(scale);
    r.split = split;
    r.exact = true;
    r.widened = true;
    r.widenedToZero = in.maxAbsWeight > 0.0 && roundHalfAway(in.maxAbsWeight / scale) == 0.0;
    return r;
}

} // namespace bg
