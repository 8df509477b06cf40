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
#include "integer/int_conv.h"
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
    double gammaScale = 1.0;   // a_c where the channel is separated (γ kept out of W), else 1
};

struct QuantizedGroup {
    size_t groupIndex = 0;
    QuantWeight weight;        // codes in the ONNX layout of L's weight
    IntConvWeightSums convWeightSums;  // a Conv's: intConvWeightSums(weight), made once (else empty)
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

// How BiasGuard's QDQ export writes a group, which the onnxruntime arithmetic models (docs/SPEC_NOTES.md,
// "Arithmetic: onnxruntime"):
//   FusedOperator  DQ → L → Q, which ONNX Runtime fuses into one QLinearConv / QGemm: every channel
//                  folded (clamp or widen) and L a Conv or Gemm;
//   IntegerChain   ConvInteger / MatMulInteger → Add(int32 pre) → Cast → Mul(k_c) → Add(DQ(post)) → Q:
//                  a Conv, Gemm or MatMul with separated or constant channels, or any MatMul (whose
//                  bias is an Add). The accumulator and the pre part stay int32 (§7's register); the
//                  float32 steps are the ones qdqChainScale / requantizeValueOrtChain model exactly;
//   FloatChain     DQ → ConvTranspose [→ Mul(a_c) → Add(DQ(post))] → Q: every ConvTranspose. ONNX has
//                  no integer ConvTranspose and ONNX Runtime's CPU provider does not fuse this pattern,
//                  so it runs in float32 (modelled as §7's value rounded once, half to even).
enum class QdqLayerForm { FusedOperator, IntegerChain, FloatChain };
QdqLayerForm qdqLayerForm(const QuantizedGroup& qg, LinearKind kind);

// k_c of the integer chain, the float32 factor from the int32 sum to real units: fl32(s_x · s_w,c · a_c),
// formed in double and rounded once. The export stores it, the onnxruntime arithmetic multiplies by it.
float qdqChainScale(double inputScale, double weightScale, double gammaScale);

// Whether the two quantizations run the same integer arithmetic: the same weight codes, input and
// output parameters and per-channel requantization (an incremental re-run recomputes a group only
// where this is false).
bool sameQuantization(const QuantizedGroup& a, const QuantizedGroup& b);

} // namespace bg
