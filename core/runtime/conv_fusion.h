#pragma once
// Which activations the fast float path runs inside the Conv before them (oneDNN eltwise post-ops,
// kernels/fused_activation.h). A Conv → activation pair fuses when the activation is the only
// reader of the Conv's float output, that output is not a graph output, and the activation's
// parameters are constants: then the Conv's own output is never needed by anyone and running the
// two as one primitive saves a full pass over the tensor, its allocation and a node dispatch.
// Whether a run may fuse (nobody observes the intermediate tensor) is the runtime's decision.
#include "model/graph.h"
#include "runtime/kernels/conv_post_op.h"

#include <optional>
#include <vector>

namespace bg {

struct ConvFusion {
    size_t activationNode = 0;  // index of the fused activation in graph.nodes
    ConvPostOp activation;
};

// Per node of the graph: the fusion starting at that Conv, or nothing.
std::vector<std::optional<ConvFusion>> findConvFusions(const Graph& graph);

// The activation `node` as a post-op, when it is one the Conv can run (constant Clip bounds).
std::optional<ConvPostOp> fusableActivation(const Graph& graph, const Node& node);

} // namespace bg
