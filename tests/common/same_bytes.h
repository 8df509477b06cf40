#pragma once
// Bit-for-bit equality of two float tensors (shape and every byte): what the integer pipeline's
// fast paths owe the node-by-node run.
#include "model/tensor.h"

#include <cstring>

namespace bgtest {

inline bool sameBytes(const bg::Tensor& a, const bg::Tensor& b)
{
    return a.shape() == b.shape()
        && std::memcmp(a.floats().data(), b.floats().data(), a.floats().size() * sizeof(float)) == 0;
}

} // namespace bgtest
