#pragma once
// The per-layer, per-channel merged-bias analysis of QUANT_SPEC §2–§5 and §7 over every foldable
// pair: what the charts, the JSON/CSV export, the fix plan's "auto" and the integer runtime's
// quantized groups (integer/quantized_group.h) start from.
#include "folding/fold_pair.h"
#include "arithmetic/quant_settings.h"
#include "calibration/range_table.h"
#include "model/graph.h"
#include "arithmetic/quant_math.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bg {

struct ChannelAnalysis {
    int64_t channel = 0;
    // Inputs of the fold.
    double gamma = 0.0, beta = 0.0, mean = 0.0, var = 0.0;
    double linearBias = 0.0;      // b_c
    // §2
    double sigma = 0.0;           // σ_c
    double foldFactor = 0.0;      // a_c
    double biasFloat = 0.0;       // b'_c
    double maxAbsWeight = 0.0;    // max|W_c| (unscaled)
    double maxAbsFoldedWeight = 0.0;  // max|W'_c|
    // §4–§5 (naive fold)
    double weightScale = 1.0;     // s_w,c
    double biasExact = 0.0;       // B_c
    double biasInt = 0.0;         // q_b,c before saturation
    int bits = 1;
    bool outOfRange = false;
    bool crushed = false;         // per-tensor granularity only
    double headroom = 0.0;        // |q_b,c| / (2^(n_b−1) − 1)
    // §7 gamma separation
    double separatedWeightScale = 1.0;  // s_W,c from the unscaled W (per tensor: layer max)
    double preBiasInt = 0.0;      // round((b_c − μ_c)/(s_W,c·s_x)) before saturation
    double postBiasInt = 0.0;     // round(β_c/s_y) before saturation
    int bitsSeparated = 1;        // bits of the larger part, before saturation
    // §7 constant: applies when |a_c|·max(|lo−b_c|, |hi−b_c|) < s_y/2 over L's calibrated output range.
    bool constantApplies = false;
    // §7 auto (and the setting's choice when it is not auto).
    Strategy autoStrategy = Strategy::Clamp;  // Clamp here means the in-range naive fold
    Strategy strategy = Strategy::Clamp;      // settings.strategy, or autoStrategy under Auto
    // Gamma separation as the backend runs it (arithmetic/bias_split.h): the merged bias split
    // between the pre- and post-scale registers, s_W,c widened only where that is cheaper.
    bool widened = false;                     // separate widens s_W,c for this channel
    double widenedWeightScale = 1.0;          // the s_W,c separate uses (== separatedWeightScale unless widened)
    int64_t splitPre = 0;                     // pre-scale register (accumulator units)
    int64_t splitPost = 0;                    // post-scale register (output steps)
    double splitError = 0.0;                  // |bias error| of that split, in output steps
    bool splitExact = true;                   // splitError ≤ ½ output step (else the split saturated)
    double splitMultiplier = 0.0;             // M_c of that split: a_c·widenedWeightScale·s_x/s_y
    bool unfixable = false;                   // even the fix leaves a bias error above ½ output step
    std::string note;                         // why: widened ×F, residual error, ...
};

struct LayerAnalysis {
    size_t pairIndex = 0;         // into FoldPairs::pairs
    std::string name;             // L's node name, else its first output
    std::string op;
    std::string bn;               // N's node name, else its output
    std::string inputTensor;      // x
    std::string preBnTensor;      // L's output
    std::string outputTensor;     // fusion-group output (y)
    double inputScale = 1.0;
    int64_t inputZeroPoint = 0;
    double outputScale = 1.0;
    int64_t outputZeroPoint = 0;
    bool hasPreBnRange = false;
    double preBnMin = 0.0, preBnMax = 0.0;
    std::vector<ChannelAnalysis> channels;
    int64_t outOfRange = 0;
    int64_t crushed = 0;
    int maxBits = 0;
};

struct AnalysisSummary {
    int64_t pairs = 0;
    int64_t channels = 0;
    int64_t outOfRange = 0;
    int64_t crushed = 0;
    int maxBits = 0;
    int64_t unfixable = 0;
    int64_t standaloneBn = 0;
    // What auto does with the out-of-range channels (the plan compare runs by default).
    int64_t autoConstant = 0;
    int64_t autoSeparate = 0;
    int64_t autoWidened = 0;  // of autoSeparate, those whose weight scale is widened
};

struct FoldAnalysis {
    QuantSettings settings;
    std::string modelPath;
    int64_t opset = 0;
    std::string producer;  // "name version"
    std::vector<LayerAnalysis> layers;     // one per foldable pair, in graph order
    std::vector<StandaloneBn> standalone;
    AnalysisSummary summary;
};

// One layer's derivation of §2, §4, §5 and §7 (fold, weight scales, merged bias and bits, bias
// parts, constant test, split, auto) from its activation parameters: what analyzeFolds reports per
// pair and what the integer runtime quantizes every fusion group with, so the two cannot disagree.
// `hasBn` false is a linear layer without BN (a_c = 1, b'_c = b_c; §7 auto without the constant
// test, there being no pre-activation range). `preBnRange` (L's calibrated output) may be null: then
// constant never applies. The names of the result are left empty for the caller.
LayerAnalysis deriveLayer(const FoldPair& pair, bool hasBn, const QuantSettings& settings, const ActivationQuant& input,
                          const ActivationQuant& output, const TensorRange* preBnRange);

// Throws bg::Error(BadSetting) on invalid settings and bg::Error(MissingTensor) naming the tensor when
// the range of a layer's input or fusion-group output is missing (run calibration first). The range
// of L's output is optional: without it the constant strategy is never chosen.
FoldAnalysis analyzeFolds(const Graph& graph, const FoldPairs& pairs, const QuantSettings& settings,
                          const RangeTable& ranges);

} // namespace bg
