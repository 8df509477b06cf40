#pragma once
// The float model's side of a comparison, per sample: the inputs and the float tensors compare
// reads (graph outputs, and with per-layer metrics every fusion group's input and output). None of
// it depends on the quantization settings, so several comparisons over the same input set (a sweep
// over widths, the sensitivity's one-layer plans) run the float model once: the first compareModel
// handed the cache fills it, the next ones read it.
#include "model/tensor.h"
#include "runtime/float_runtime.h"

#include <vector>

namespace bg {

struct FloatReferenceCache {
    bool filled = false;
    bool perLayer = false;          // the group inputs/outputs were kept too
    std::vector<TensorMap> inputs;  // per sample
    std::vector<TensorMap> outputs; // per sample: the float run's kept tensors

    // Holds what a comparison with (or without) per-layer metrics reads.
    bool serves(bool wantPerLayer) const { return filled && (perLayer || !wantPerLayer); }
};

} // namespace bg
