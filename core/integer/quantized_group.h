#pragma once
// A fusion group prepared for integer execution (QUANT_SPEC §6, §7): its weight codes and, per
// output channel, the integer requantization of the chosen strategy, in one common form
//
//     y_c = clamp(zp_y + round(M_c · sat32(acc_c + pre_c)) + post_c, outLo, outHi)
//
//   clamp / widen: M_c = s_w,c·s_x/s_y,       pre_c = sat_nb(q_b,c),   post_c = 0
//   separate:      M_c = a_c·s_W,c·s_x/s_y,   (pre_c, post_c) = the bias split of b'_c (bias_split.h)
//   constant:      M_c = 0 (q_w = 0),         pre_c = 0,               post_c = round(b'_c/s_y)
//
// [outLo, outHi] is [0, 2^n_a − 1] narrowed by the group's Relu/Clip bounds quantized with the
// output's parameters (docs/SPEC_NOTES.md, "Integer runtime").
#include "analysis/fold_analysis.h"
#include "arithmetic/quant_settings.h"
#include "folding/fusion_group.h"
#include "integer/int_requantize.h"
#include "integer/int_tensor.h"
#include "arithmetic/quant_math.h"

#include <cstdint>
#include <vector>

namespace bg {

struct ChannelRequant {
    Strategy strategy = Strategy::Clamp;  // resolved: never Auto
    double weightScale = 1.0;  // the scale q_w was rounded with (s_w,c, widened s_w,c, or s_W,c)
    double multiplier = 0.0;   // M_c
    int64_t pre = 0;           // added to acc before scaling (saturated to n_b bits)
    int64_t post = 0;          // added after rounding
    bool biasSaturated = false;  // the n_b-bit register(s) could not hold the bias: it was saturated
};

struct QuantizedGroup {
    size_t groupIndex = 0;
    QuantWeight weight;        // codes in the ONNX layout of L's weight
    std::vector<ChannelRequant> channels;
    ActivationQuant input;     // x
    ActivationQuant output;    // y (calibrated range of the group output)
    int64_t outLo = 0, outHi = 255;
    int64_t saturatedBiases = 0;
    // The channels' M_c, pre_c, post_c and [outLo, outHi] in the form the requantization reads,
    // built once here so that running the group allocates nothing per channel.
    RequantizeParams requant;
};

// Quantizes the group with the layer's derivation (analysis/fold_analysis.h deriveLayer: a_c, b'_c,
// s_w,c, s_W,c, q_b,c, the bias split), which must have been made with `input` and `output`.
// `strategies` holds one resolved strategy per output channel (never Auto: FixPlan::resolved against
// the derivation). A group without BN runs Constant as Clamp (no pre-activation range to test it
// against; see SPEC_NOTES).
QuantizedGroup quantizeGroup(const FusionGroup& group, size_t groupIndex, const QuantSettings& settings,
                             const ActivationQuant& input, const ActivationQuant& output,
                             const LayerAnalysis& derivation, const std::vector<Strategy>& strategies);

// Whether BiasGuard's QDQ export writes the group as DQ → L → Q, which ONNX Runtime fuses into one
// QLinearConv / QGemm: every channel folded (clamp or widen) and L not a MatMul (its bias is an
// Add). Otherwise the export adds Add/Mul nodes after L and ONNX Runtime runs them in float32.
bool exportsAsFusedOperator(const QuantizedGroup& qg, LinearKind kind);

// Whether the two quantizations run the same integer arithmetic: the same weight codes, input and
// output parameters and per-channel requantization (an incremental re-run recomputes a group only
// where this is false).
bool sameQuantization(const QuantizedGroup& a, const QuantizedGroup& b);

} // namespace bg
