#pragma once
// Uniform float values in [-scale, scale) from a fixed seed (std::mt19937): every run of a test
// sees the same data. The kernel, fusion, input-reuse and plan tests draw their tensors here.
#include "model/tensor.h"

#include <cstdint>
#include <random>
#include <vector>

namespace bgtest {

inline bg::Tensor randomTensor(const bg::Shape& shape, uint32_t seed, float scale = 1.0f)
{
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-scale, scale);
    std::vector<float> v(static_cast<size_t>(bg::shapeNumel(shape)));
    for (float& x : v)
        x = dist(gen);
    return bg::Tensor(shape, std::move(v));
}

} // namespace bgtest
