#pragma once
// QUANT_SPEC §2 applied to one layer: every output channel's fold factor, folded bias and folded
// weights, the one fold loop of the analysis, the integer runtime and the fixed-model export.
#include "folding/fold_pair.h"

#include <vector>

namespace bg {

struct LayerFold {
    std::vector<double> foldFactor;   // a_c
    std::vector<double> foldedBias;   // b'_c
    std::vector<std::vector<double>> weights;        // W_c: effective (Gemm: alpha·W), unscaled
    std::vector<std::vector<double>> foldedWeights;  // W'_c = a_c·W_c
};

// With a BN (a foldable pair): a_c = γ_c/σ_c, b'_c = a_c·(b_c − μ_c) + β_c, W'_c = a_c·W_c.
// Without one (a linear layer of its own, gamma/beta/mean/var empty) nothing folds: a_c = 1,
// b'_c = b_c, W'_c = W_c.
LayerFold foldLayer(const FoldPair& pair, bool hasBn);

} // namespace bg
