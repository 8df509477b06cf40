#include "analysis/bias_registers.h"

#include "arithmetic/fold_math.h"
#include "arithmetic/quant_math.h"

#include <algorithm>

namespace bg {

BiasRegisters biasRegisters(const LayerAnalysis& layer, const ChannelAnalysis& ch, Strategy strategy,
                            const QuantSettings& s)
{
    BiasRegisters r;
    switch (strategy == Strategy::Auto ? ch.strategy : strategy) {
    case Strategy::Widen:
        r.pre = mergedBias(ch.biasFloat, widenedScale(ch.weightScale, ch.biasFloat, layer.inputScale, s.biasBits),
                           layer.inputScale, s.biasBits)
                    .rounded;
        break;
    case Strategy::Separate:
        r.pre = static_cast<double>(ch.splitPre);
        r.post = static_cast<double>(ch.splitPost);
        r.usesPost = true;
        break;
    case Strategy::Constant:
        r.post = static_cast<double>(constantPostBias(ch.biasFloat, layer.outputScale));
        r.usesPost = true;
        break;
    case Strategy::Clamp:
    case Strategy::Auto:
        r.pre = ch.biasInt;
        break;
    }
    r.bits = std::max(bitsNeeded(r.pre), bitsNeeded(r.post));
    return r;
}

} // namespace bg
