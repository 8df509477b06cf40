#pragma once
// An activation (or a Mul / Add / Sub / Div by a scalar) that a Conv runs as a oneDNN eltwise post-op, inside
// the convolution's own pass over its output, instead of as a node of its own (another full read and
// write of the tensor and another allocation). The float runtime finds them (runtime/conv_fusion.h); the Conv kernel
// applies them. `applyConvPostOp` is the plain-loop form with the formulas of the operators'
// reference kernels (runtime/ops/relu.cpp, clip.cpp, hard_swish.cpp, sigmoid.cpp, hard_sigmoid.cpp):
// what the Conv kernel falls back to when oneDNN refuses the configuration.
#include <cstdint>
#include <span>
#include <vector>

namespace bg {

// Mul, Add, Sub, Div: y = y op alpha, by a scalar constant (oneDNN binary post-ops, which round as
// the operator does). ChannelMul, ChannelAdd: y = y op channel[c] for output channel c (a
// BatchNormalization's fast form, batch_norm_inference.h: a ChannelMul then a ChannelAdd).
enum class ConvPostOpKind { Relu, Clip, HardSwish, Sigmoid, HardSigmoid, Mul, Add, Sub, Div, ChannelMul, ChannelAdd };

struct ConvPostOp {
    ConvPostOpKind kind = ConvPostOpKind::Relu;
    float alpha = 0.0f;  // Clip: lower bound; HardSigmoid: slope; Mul, Add, Sub, Div: the scalar
    float beta = 0.0f;   // Clip: upper bound; HardSigmoid: offset
    std::vector<float> channel;  // ChannelMul, ChannelAdd: one operand per output channel
};

// Whether `kind` is an activation (an eltwise post-op), not an arithmetic one with a scalar.
bool isActivation(ConvPostOpKind kind);

// The operators after a Conv that run inside it, in order.
using ConvPostOps = std::vector<ConvPostOp>;

// y = act(y) in place, with the reference kernels' formulas; y is [N, channels, plane] row-major
// (`plane` elements per channel and image: the channel operands need it).
void applyConvPostOp(const ConvPostOp& act, std::span<float> y, int64_t channels, int64_t plane);
// Each of `ops` in turn.
void applyConvPostOps(const ConvPostOps& ops, std::span<float> y, int64_t channels, int64_t plane);

} // namespace bg
