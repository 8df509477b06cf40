#pragma once
// Plain-loop MaxPool and AveragePool over 1 to 3 spatial axes: the oracle for the oneDNN pools.
#include "runtime/kernels/conv_geometry.h"

#include <cstdint>
#include <vector>

namespace bg {

struct PoolShape {
    int64_t batch = 1;
    int64_t channels = 0;
    WindowGeometry geo;
};

// Max over each window, padding excluded. When `indices` is given it receives ONNX's flattened
// input index of each maximum (the first one on ties): ((n*C + c) * H + h) * W + w, or with
// `columnMajor` (storage_order 1) (n*C + c) * H*W + w * H + h.
std::vector<float> maxPoolReference(const PoolShape& s, const float* x, std::vector<int64_t>* indices,
                                    bool columnMajor);

// The same on integer tensors (MaxPool accepts int8/uint8, which the loader widens to int64).
std::vector<int64_t> maxPoolReferenceInt(const PoolShape& s, const int64_t* x, std::vector<int64_t>* indices,
                                         bool columnMajor);

// Mean over each window. countIncludePad: the divisor counts explicit padding (but never the
// overhang ceil_mode adds past the end padding); otherwise only real input elements.
std::vector<float> averagePoolReference(const PoolShape& s, const float* x, bool countIncludePad);

} // namespace bg
