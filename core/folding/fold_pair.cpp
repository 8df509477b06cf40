#include "folding/fold_pair.h"

namespace bg {

const char* linearKindName(LinearKind kind)
{
    switch (kind) {
    case LinearKind::Conv: return "Conv";
    case LinearKind::ConvTranspose: return "ConvTranspose";
    case LinearKind::Gemm: return "Gemm";
    case LinearKind::MatMul: return "MatMul";
    }
    return "Conv";
}

int64_t FoldPair::channelOfWeightIndex(int64_t flat) const
{
    const Shape& s = weightTensor->shape();
    const int64_t numel = weightTensor->numel();
    switch (kind) {
    case LinearKind::Conv:
        return flat / (numel / s.at(0));
    case LinearKind::ConvTranspose: {
        // W is [C_in, C_out/group, k...]: element (i, j, ...) feeds output channel g·(C_out/group) + j
        // where g = i / (C_in/group) is the group of input channel i.
        const int64_t cin = s.at(0);
        const int64_t coutPerGroup = s.at(1);
        const int64_t inner = numel / (cin * coutPerGroup);
        const int64_t j = (flat / inner) % coutPerGroup;
        const int64_t i = flat / (inner * coutPerGroup);
        const int64_t g = i / (cin / group);
        return g * coutPerGroup + j;
    }
    case LinearKind::Gemm:
        return transB ? flat / s.at(1) : flat % s.at(1);
    case LinearKind::MatMul:
        return flat % s.at(1);
    }
    return 0;
}

std::vector<int64_t> FoldPair::weightIndicesOfChannel(int64_t c) const
{
    std::vector<int64_t> out;
    const int64_t numel = weightTensor->numel();
    for (int64_t k = 0; k < numel; ++k)
        if (channelOfWeightIndex(k) == c)
            out.push_back(k);
    return out;
}

std::vector<std::vector<double>> FoldPair::weightsByChannel() const
{
    std::vector<std::vector<double>> out(static_cast<size_t>(channels));
    const auto w = weightTensor->floats();
    for (int64_t k = 0; k < static_cast<int64_t>(w.size()); ++k)
        out[static_cast<size_t>(channelOfWeightIndex(k))].push_back(weightMultiplier * static_cast<double>(w[k]));
    return out;
}

} // namespace bg
