#pragma once
// The estimated SQNR cost of one shared (per-tensor) activation scale against per-channel scales
// (issue 13, docs/SPEC_NOTES.md "Activation-range diagnosis"), from the uniform-noise model of
// rounding: a step s adds independent noise of power s²/12 to every element it rounds, and a linear
// consumer carries each input channel's noise to its output times that channel's noise gain.
#include <vector>

namespace bg {

// What the calibrator records per channel of a quantized tensor, and what its consumer does with it.
struct ChannelSignal {
    double min = 0.0;
    double max = 0.0;
    double meanSquare = 0.0;  // signal power P_c: the mean of x² over the channel's elements
    // G_c: the sum of the squared (folded) weights of the consumer that read channel c (1 for a
    // consumer without weights).
    double noiseGain = 1.0;
};

// s²/12, the noise power of rounding to a step s (uniform error on [−s/2, s/2]).
double roundingNoisePower(double step);

// cost_dB = 10·log10( Σ_c G_c·min(N(s_t), P_c) / Σ_c G_c·min(N(s_c), P_c) ) over the channels with
// P_c > 0: s_t is the §4 activation scale of the tensor's range [lo, hi], s_c the same rule on the
// channel's own range [min_c, max_c], N = roundingNoisePower. The consumer's output signal is the
// same either way, so the ratio of the noise powers it receives is the SQNR it loses. A channel
// rounded away loses its signal, no more: its noise is capped at P_c. 0 when no channel carries
// signal; never negative (a channel's range lies within the tensor's).
double sharedScaleCostDb(const std::vector<ChannelSignal>& channels, double lo, double hi, int activationBits);

} // namespace bg
