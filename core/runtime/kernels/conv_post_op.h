#pragma once
// An activation that a Conv runs as a oneDNN eltwise post-op, inside the convolution's own pass
// over its output, instead of as a node of its own (another full read and write of the tensor and
// another allocation). The float runtime finds them (runtime/conv_fusion.h); the Conv kernel
// applies them. `applyConvPostOp` is the plain-loop form with the formulas of the operators'
// reference kernels (runtime/ops/relu.cpp, clip.cpp, hard_swish.cpp, sigmoid.cpp, hard_sigmoid.cpp):
// what the Conv kernel falls back to when oneDNN refuses the configuration.
#include <span>

namespace bg {

enum class ConvPostOpKind { Relu, Clip, HardSwish, Sigmoid, HardSigmoid };

struct ConvPostOp {
    ConvPostOpKind kind = ConvPostOpKind::Relu;
    float alpha = 0.0f;  // Clip: lower bound; HardSigmoid: slope
    float beta = 0.0f;   // Clip: upper bound; HardSigmoid: offset
};

// y = act(y) in place, with the reference kernels' formulas.
void applyConvPostOp(const ConvPostOp& act, std::span<float> y);

} // namespace bg
