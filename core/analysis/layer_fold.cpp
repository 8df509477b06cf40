#include "analysis/layer_fold.h"

#include "arithmetic/fold_math.h"

namespace bg {

LayerFold foldLayer(const FoldPair& pair, bool hasBn)
{
    const size_t C = static_cast<size_t>(pair.channels);
    LayerFold f;
    f.weights = pair.weightsByChannel();
    f.foldFactor.assign(C, 1.0);
    f.foldedBias.resize(C);
    f.foldedWeights.resize(C);
    for (size_t c = 0; c < C; ++c) {
        if (hasBn) {
            f.foldFactor[c] = foldFactor(pair.gamma[c], pair.var[c], pair.epsilon);
            f.foldedBias[c] = foldedBias(f.foldFactor[c], pair.linearBias[c], pair.mean[c], pair.beta[c]);
            f.foldedWeights[c] = foldedWeights(f.foldFactor[c], f.weights[c]);
        } else {
            f.foldedBias[c] = pair.linearBias[c];
            f.foldedWeights[c] = f.weights[c];
        }
    }
    return f;
}

} // namespace bg
