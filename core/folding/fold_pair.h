#pragma once
// A foldable pair of QUANT_SPEC §1: a linear node L (Conv, ConvTranspose, Gemm, MatMul) whose output
// feeds only a BatchNormalization N, with every parameter constant. The pair carries copies of the
// constants (as double) so that the analysis and the integer backend never look them up again, and
// the fusion group's activation (Relu / Clip) so the integer backend knows where the group ends.
#include "model/tensor.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace bg {

enum class LinearKind { Conv, ConvTranspose, Gemm, MatMul };
const char* linearKindName(LinearKind kind);  // the ONNX op type

// The activation that closes the fusion group (§4: L, N, then a following Relu or Clip with
// constant bounds). Kind::None: the group ends at N.
struct FusedActivation {
    enum class Kind { None, Relu, Clip };
    Kind kind = Kind::None;
    int nodeIndex = -1;  // index in graph.nodes, -1 for None
    std::string name;    // the node's display name
    // Clip bounds; Relu is [0, +inf]. Absent bounds (and Clip-6's float lowest/max defaults) are ±inf.
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
};

struct FoldPair {
    size_t linearIndex = 0;  // L in graph.nodes
    size_t bnIndex = 0;      // N in graph.nodes
    LinearKind kind = LinearKind::Conv;
    std::string op;          // "Conv", "ConvTranspose", "Gemm", "MatMul"
    std::string linearName;  // L's node name, else its first output (what §9 calls the layer name)
    std::string bnName;      // N's node name, else its output
    int64_t channels = 0;    // output channels C

    std::string input;       // L's data input x (s_x comes from its range)
    std::string weight;      // W
    std::string bias;        // b, empty when L has none (Gemm: C)
    std::string linearOutput;  // L's output = N's data input (the pre-BN tensor)
    std::string bnOutput;    // N's output
    FusedActivation activation;
    std::string groupOutput;  // activation output if there is one, else bnOutput (s_y comes from its range)

    // Per output channel, double precision.
    std::vector<double> gamma, beta, mean, var;
    std::vector<double> linearBias;  // b_c (Gemm: beta·C_c), 0 when absent
    double epsilon = 1e-5;           // N's epsilon attribute (a float in ONNX), widened exactly

    // W as stored (float32, the model's layout), shared with the graph's constant rather than copied,
    // and how to map its elements to output channels.
    std::shared_ptr<const Tensor> weightTensor = std::make_shared<const Tensor>();
    int64_t group = 1;         // ConvTranspose (and Conv) group attribute
    bool transB = false;       // Gemm
    bool transA = false;       // Gemm: transposes only the data; no effect on the fold (the integer kernels refuse it)
    double weightMultiplier = 1.0;  // Gemm alpha: the effective weight is alpha·W (1 otherwise)

    // Output channel of W's flat (row-major) element index, per §1: Conv axis 0; ConvTranspose
    // axis 1 times group (c = g·(C_out/group) + j); Gemm axis 0 if transB else axis 1; MatMul axis 1.
    int64_t channelOfWeightIndex(int64_t flatIndex) const;
    // Flat indices into W of output channel c, in W's row-major order.
    std::vector<int64_t> weightIndicesOfChannel(int64_t c) const;
    // Effective weights (weightMultiplier · W) of every output channel, in W's row-major order.
    std::vector<std::vector<double>> weightsByChannel() const;
};

// A BatchNormalization that is not part of a foldable pair: listed, run as a per-channel affine.
struct StandaloneBn {
    size_t nodeIndex = 0;
    std::string name;    // node name, else its output
    std::string reason;  // why it cannot be folded, in words a user can act on
};

struct FoldPairs {
    std::vector<FoldPair> pairs;           // in graph order of L
    std::vector<StandaloneBn> standalone;  // in graph order
};

} // namespace bg
