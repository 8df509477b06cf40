#include "arithmetic/shared_scale_cost.h"

#include "arithmetic/quant_math.h"

#include <algorithm>
#include <cmath>

namespace bg {

double roundingNoisePower(double step)
{
    return step * step / 12.0;
}

double sharedScaleCostDb(const std::vector<ChannelSignal>& channels, double lo, double hi, int activationBits)
{
    const double sharedNoise = roundingNoisePower(activationQuantFromRange(lo, hi, activationBits).scale);
    double shared = 0.0;
    double own = 0.0;
    for (const ChannelSignal& c : channels) {
        if (!(c.meanSquare > 0.0) || !std::isfinite(c.meanSquare) || !(c.noiseGain >= 0.0))
            continue;
        const double ownNoise = roundingNoisePower(activationQuantFromRange(c.min, c.max, activationBits).scale);
        shared += c.noiseGain * std::min(sharedNoise, c.meanSquare);
        own += c.noiseGain * std::min(ownNoise, c.meanSquare);
    }
    if (!(own > 0.0) || !(shared > 0.0))
        return 0.0;
    return std::max(0.0, 10.0 * std::log10(shared / own));
}

} // namespace bg
