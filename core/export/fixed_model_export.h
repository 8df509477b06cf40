#pragma once
// Writes the fixed model: the input ONNX model with every foldable pair's BatchNormalization folded
// into its linear node (QUANT_SPEC §2), as a deployment tool would, except that channels the plan
// separates (§7 gamma separation) keep γ out of the merge:
//
//     L(W'_c, b'_c)                              channels on clamp / constant / widen
//     L(W_c, b_c − μ_c) → Mul(a_c) → Add(β_c)    channels on separate (Mul 1 / Add 0 for the others)
//
// MatMul has no bias input: its folded bias goes into the Add. The float function is unchanged (up
// to float32 rounding of the folded weights); the integer parameters of each strategy live in the
// plan and are applied by the inference library. Everything else in the model is kept as it was.
#include "folding/fold_pair.h"
#include "arithmetic/quant_settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bg {

struct FixedModelSummary {
    int64_t foldedPairs = 0;
    int64_t separatedLayers = 0;    // pairs written with the Mul/Add of gamma separation
    int64_t separatedChannels = 0;
};

// `strategies[p]` holds the resolved strategy of every channel of pairs.pairs[p] (never Auto).
// Writes `outputPath` atomically. Throws bg::Error: BadSetting when `outputPath` is the input model
// (it is never overwritten), UnsupportedType for models with external data, WriteFailed naming the
// output path, InvalidModel when the pairs do not match the file.
FixedModelSummary exportFixedModel(const std::string& inputPath, const std::string& outputPath, const FoldPairs& pairs,
                                   const std::vector<std::vector<Strategy>>& strategies);

} // namespace bg
