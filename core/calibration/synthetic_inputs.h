#pragma once
// The 8 deterministic synthetic calibration inputs of QUANT_SPEC §4. The generator is specified in
// docs/SYNTHETIC_INPUTS.md precisely enough for another tool to reproduce every value bit for bit:
//
//   sample i (0-based) uses one SplitMix64 stream seeded with state = 20241125 + i;
//   the model's float inputs are filled in declaration order, each in row-major order;
//   each value takes one 64-bit output z:  v = ((z >> 40) - 2^23) / 2^23   (exact in float32,
//   uniform on the grid k/2^23 in [-1, 1)).
#include "model/graph.h"
#include "model/tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bg {

inline constexpr uint64_t kSyntheticSeed = 20241125;
inline constexpr int kSyntheticSampleCount = 8;

// SplitMix64 (Steele, Lea, Flood 2014), the variant in Java's SplittableRandom.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next()
    {
        state_ += 0x9E3779B97F4A7C15ull;
        uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform on {k / 2^23 : k = -2^23 .. 2^23 - 1}; the division is exact in float32.
    float nextSymmetricUnit() { return static_cast<float>(static_cast<int64_t>(next() >> 40) - (int64_t{1} << 23)) * 0x1p-23f; }

private:
    uint64_t state_;
};

// How symbolic or unknown input dimensions are sized.
struct SyntheticShapeOptions {
    // By symbolic name (ValueInfo Dim::param, e.g. "H"), or "input:axis" (e.g. "x:2") for any axis.
    // "input:axis" wins over the name.
    std::map<std::string, int64_t> dimSizes;
    int64_t batch = 1;        // unknown axis 0
    int64_t otherDim = 640;   // any other unknown axis (the PaddleOCR detector's H and W)
    int64_t maxElements = int64_t{1} << 27;  // per input; a larger shape is refused, not allocated
};

// The concrete shape used for `input`; throws bg::Error(BadInput) when the rank is unknown, a size
// is not positive, or the element count exceeds options.maxElements.
Shape syntheticInputShape(const ValueInfo& input, const SyntheticShapeOptions& options = {});

// The shapes of all graph inputs, in declaration order, after checking that each is a float input
// with a known rank (bg::Error(BadInput) otherwise).
std::vector<Shape> syntheticInputShapes(const Graph& graph, const SyntheticShapeOptions& options = {});

// Sample `index` for every graph input. Integer-typed inputs are refused (bg::Error(BadInput)):
// there is no meaningful synthetic value for an index or a shape.
std::map<std::string, Tensor> syntheticSample(const Graph& graph, int index, const SyntheticShapeOptions& options = {});

} // namespace bg
