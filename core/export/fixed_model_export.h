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
// plan and are applied by the inference library. Everything else in the model is kept as it was,
// except that nodes without a name get their export name (export_names.h) and the model carries a
// `biasguard` metadata_props entry saying how it was made (fix_provenance_json.h).
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

// The tensors of the fixed model that hold one pair's parameters (what the encodings key by).
struct FixedLayerNames {
    std::string node;          // L's node name in the fixed model
    std::string weight;        // W'_c, or W_c for separated channels (the model's layout)
    std::string bias;          // L's bias input; empty for MatMul
    std::string scale;         // the Mul's per-channel a (empty without gamma separation)
    std::string postBias;      // the Add's per-channel constant (β or MatMul's b'); empty without Add
};

struct FixedModel {
    std::string bytes;                    // the serialized ModelProto
    FixedModelSummary summary;
    std::vector<FixedLayerNames> layers;  // indexed like FoldPairs::pairs
    std::string graphName;                // exportGraphName of the model's graph
};

// The fixed model in memory, not written: what exportFixedModel writes and what the encodings
// export reads the tensor names from. `provenanceJson` (may be empty: no entry) becomes the
// `biasguard` metadata_props entry, replacing one the input carried. Throws as exportFixedModel.
FixedModel buildFixedModel(const std::string& inputPath, const FoldPairs& pairs,
                           const std::vector<std::vector<Strategy>>& strategies, const std::string& provenanceJson = {});

// `strategies[p]` holds the resolved strategy of every channel of pairs.pairs[p] (never Auto).
// Writes `outputPath` atomically. Throws bg::Error: BadSetting when `outputPath` is the input model
// (it is never overwritten), UnsupportedType for models with external data, WriteFailed naming the
// output path, InvalidModel when the pairs do not match the file.
FixedModelSummary exportFixedModel(const std::string& inputPath, const std::string& outputPath, const FoldPairs& pairs,
                                   const std::vector<std::vector<Strategy>>& strategies,
                                   const std::string& provenanceJson = {});

// Throws bg::Error(BadSetting) naming `outputPath` when it is the input file (it never is overwritten).
void refuseInputAsOutput(const std::string& inputPath, const std::string& outputPath);

} // namespace bg
