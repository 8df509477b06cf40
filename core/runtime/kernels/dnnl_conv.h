#pragma once
// oneDNN convolution and deconvolution for float tensors in ONNX layout. Each returns false when
// oneDNN refuses the configuration, and the caller runs the reference kernel instead.
#include "runtime/kernels/conv_reference.h"
#include "runtime/kernels/conv_post_op.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>

namespace bg {

class NodeMemo;  // runtime/node_memo.h

// Same contract as convReference; `y` holds N*M*out elements. With `act`, y = act(conv(x)) in the
// same primitive (eltwise post-ops, in order). The primitive of each configuration is made once per process
// (a cache keyed by the shapes and the post-op) and its weights reordered once (dnnl_weight_cache.h).
bool dnnlConvolution(const ConvShape& s, const float* x, const float* w, const float* bias, float* y,
                     const ConvPostOps* act = nullptr);
// A Conv's input and output kept in oneDNN's layout between two Convs (the float runtime's
// handoff: FloatRuntime::runGraph). The NCHW copies, and the two reorders around each layer, are
// then skipped: on the detector they were about a fifth of a float run and the largest buffers at
// its peak. `src` set: the input, replacing x (the node's input 0 then holds nothing). `keepDst`:
// leave the output in the primitive's layout, in `dst`, instead of writing y.
struct ConvHandoff {
    dnnl::memory src;
    int32_t srcElemType = 1;  // the ONNX type the handed tensor stands for
    bool keepDst = false;
    dnnl::memory dst;
    int32_t dstElemType = 1;
    // Nonzero: the weights are constants of that owner (a FloatRuntime's never-reused token),
    // alive and unchanged while it lives, so the weight cache keys them by owner and address
    // instead of hashing their bytes on every call (dnnlCachedWeights).
    uint64_t weightsOwner = 0;
    // Nonzero: this Conv node's slot for what it derives from its shapes, kept by the FloatRuntime
    // across runs (conv.cpp's ConvNodePlan); nullptr: derived afresh.
    NodeMemo* memo = nullptr;
};

// One Conv configuration made ready for oneDNN (its dims, layouts and cached primitive), derived
// once per shape by dnnlConvPlan instead of on every call; nullptr where oneDNN has no
// implementation (the reference loops run). Immutable: any thread may run it.
struct DnnlConvPlan;
std::shared_ptr<const DnnlConvPlan> dnnlConvPlan(const ConvShape& s, bool bias, const ConvPostOps* act);
// dnnlConvolutionHandoff with a plan made for the same shape, bias and post-ops.
bool dnnlConvolutionPlanned(const DnnlConvPlan& plan, ConvHandoff& h, const float* x, const float* w,
                            const float* bias, float* y, const ConvPostOps* act);
bool hasMemory(const dnnl::memory& m);
// The logical dims of `m` (N, C, spatial...) and its values in plain row-major order.
std::vector<int64_t> dnnlDims(const dnnl::memory& m);
std::vector<float> dnnlToPlainValues(const dnnl::memory& m);

// dnnlConvolution with a handoff (see ConvHandoff); x is ignored when h.src is set, y when h.keepDst
// and the primitive ran.
bool dnnlConvolutionHandoff(const ConvShape& s, ConvHandoff& h, const float* x, const float* w, const float* bias,
                            float* y, const ConvPostOps* act);

// Same contract as convTransposeReference.
bool dnnlConvTranspose(const ConvShape& s, const float* x, const float* w, const float* bias, float* y);

} // namespace bg
