#pragma once
// Which operators after a Conv the fast float path runs inside it (oneDNN post-ops,
// kernels/conv_post_op.h): a chain of Mul / Add / Sub / Div by a scalar constant (binary post-ops)
// and BatchNormalizations with constant parameters (per-channel binary post-ops, ChannelMul then
// ChannelAdd: how Paddle's MobileNetV3 classifier follows each Conv) with at most one activation (Relu, Clip, HardSwish, Sigmoid, HardSigmoid, or HardSwish written out
// as ONNX operators, x · Clip(x + 3, 0, 6) / 6, how Paddle exports it) among them. One, because
// oneDNN 2.6's jit kernels keep one eltwise injector per algorithm: two eltwise post-ops of one
// algorithm with different parameters both run with one's parameters (openvinotoolkit/oneDNN#157;
// seen here as two eltwise_linear post-ops, a scalar Mul then Add, giving 1.7²·x). Each link must be the only reader of the
// tensor before it (the written-out HardSwish reads x twice, both inside the pattern), no tensor
// inside the chain may be a graph output, and every parameter must be a constant: then nobody ever
// needs those tensors, and one primitive saves a full pass over the output, its allocation and a
// node dispatch per link. PP-OCRv4's detector follows most of its Conv layers with eight such
// operators (a scalar affine, the written-out HardSwish, another scalar affine).
// Whether a run may fuse (nobody observes the intermediate tensors) is the runtime's decision.
#include "model/graph.h"
#include "runtime/kernels/conv_post_op.h"

#include <optional>
#include <string>
#include <vector>

namespace bg {

struct ConvFusion {
    std::vector<size_t> fusedNodes;  // indices in graph.nodes of the operators the Conv runs, in graph order
    ConvPostOps postOps;             // what they compute, in order
    std::string output;              // the chain's last tensor: where the Conv's result is stored
    std::vector<std::string> inside; // the tensors that are never computed (the Conv's own output included)
};

// Per node of the graph: the fusion starting at that Conv, or nothing.
std::vector<std::optional<ConvFusion>> findConvFusions(const Graph& graph);

// The activation `node` as a post-op, when it is one the Conv can run (constant Clip bounds).
std::optional<ConvPostOp> fusableActivation(const Graph& graph, const Node& node);

} // namespace bg
