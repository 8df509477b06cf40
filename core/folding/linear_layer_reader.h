#pragma once
// The one reading of a linear node L (Conv, ConvTranspose, Gemm, MatMul): which input is the data
// and which the weight, the weight tensor, the output-channel axis (kind, group, transB), Gemm's
// alpha/transA and the bias per output channel (Gemm: beta·C). The fold-pair finder and the fusion
// groups both read L through it, so a layer is never one shape to the analysis and another to the
// integer runtime.
//
// It reads what the ONNX node computes, not what BiasGuard's integer kernels can run: folding a 3-D
// convolution or a Gemm with transA = 1 is the same arithmetic (QUANT_SPEC §1, docs/SPEC_NOTES.md
// "Fold analysis" 1), so such a layer stays a foldable pair and the analysis reports it. What the
// integer kernels cannot run is decided in one place, integerKernelRefusal() (fusion_group.cpp), and
// those layers run as float operators of the integer pipeline, listed with the reason.
#include "folding/fold_pair.h"
#include "model/graph.h"

#include <string>

namespace bg {

// A Conv, ConvTranspose, Gemm or MatMul of the default domain.
bool isLinearNode(const Node& node);

// Fills L's fields of `layer` (linearIndex, kind, op, linearName, input, weight, bias, linearOutput,
// weightTensor, group, transB, transA, weightMultiplier, channels, linearBias) from graph.nodes[index].
// Returns why L cannot be read as a linear layer with constant float parameters (empty: it can),
// in words a user can act on, naming L as "Conv 'name'". Never throws.
std::string readLinearLayer(const Graph& graph, size_t index, FoldPair& layer);

} // namespace bg
