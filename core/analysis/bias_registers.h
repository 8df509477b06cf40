#pragma once
// What a channel's bias registers must hold under a §7 strategy, and the bits that takes: the
// "after the fix" figures of the GUI's histogram and layer chart beside §5's q_b,c of the naive fold.
#include "analysis/fold_analysis.h"
#include "arithmetic/quant_settings.h"

namespace bg {

struct BiasRegisters {
    // Before saturation. pre: the register added to the accumulator (clamp: q_b,c; widen: q_b,c at
    // the widened s_w,c; separate: the split's pre part; constant: 0, the weights are 0 too).
    // post: the register added after requantization (separate: the split's post part; constant:
    // round(b'_c/s_y); clamp and widen have none: 0).
    double pre = 0.0;
    double post = 0.0;
    bool usesPost = false;
    int bits = 1;  // bits() of the larger of the two (§5): the register holds it when bits ≤ n_b
};

// The registers the integer backend loads for `channel` of `layer` under `strategy` (Auto: the
// channel's resolved ChannelAnalysis::strategy). A separate split that saturated (splitExact
// false, the unfixable channels) is within n_b bits but off by more than ½ output step.
BiasRegisters biasRegisters(const LayerAnalysis& layer, const ChannelAnalysis& channel, Strategy strategy,
                            const QuantSettings& settings);

} // namespace bg
