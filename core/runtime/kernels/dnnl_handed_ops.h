#pragma once
// GlobalAveragePool, Add and Mul on tensors the float runtime holds in oneDNN's layout between two
// Convs (ConvHandoff), so that a squeeze-and-excitation block (Conv -> GlobalAveragePool -> ... ->
// Mul -> Conv) or a residual Add between Convs no longer reorders its tensors to NCHW and back:
// 40 reorders in each classifier run, a tenth of it. Each gives the same bits as its plain kernel
// (global_average_pool.cpp, mul.cpp, add.cpp) on the same values, and nothing (std::nullopt) for
// a layout or a broadcast it does not cover: the runtime then reorders to NCHW and runs that one.
#include "model/tensor.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

// Where element (n, c, h, w) of a 4-D float tensor in oneDNN's memory lies: channels in blocks of
// `block` (1 for plain layouts such as NCHW and NHWC), at
// offset0 + n*sN + (c/block)*sBlock + h*sH + w*sW + c%block. Channels from c up to the padded
// count are the layout's padding: a fused post-op may leave them non-zero (the next Conv's
// zero-padded weights ignore them), and nothing here reads them into a real channel.
struct HandedGeometry {
    int64_t n = 0, c = 0, h = 0, w = 0;
    int64_t paddedC = 0, block = 1;
    int64_t offset0 = 0, sN = 0, sBlock = 0, sH = 0, sW = 0;
};

// The geometry of `md`, or nothing when it is not a 4-D f32 layout of that form (one block at most,
// on the channels).
std::optional<HandedGeometry> handedGeometry(const dnnl::memory::desc& md);

// GlobalAveragePool of `x`: [N, C, 1, 1] in NCHW, with the plain kernel's sums (interleavedSum per
// plane, in row-major order of the plane).
std::optional<Tensor> handedGlobalAveragePool(const dnnl::memory& x, int32_t elemType);

enum class HandedBinaryOp { Add, Mul };

// One operand of handedBinary: a tensor in oneDNN's layout (`mem`) or a plain one (`plain`).
// `reusable`: `mem` is read for the last time here and may hold the result.
struct HandedOperand {
    dnnl::memory mem;
    const Tensor* plain = nullptr;
    bool reusable = false;
};

// a op b, in the layout of the handed operand, for two handed operands of one layout, or one handed
// [N, C, H, W] and a plain float operand that broadcasts to it over the batch and channels only
// ([C, 1, 1], [1, C, 1, 1], [N, C, 1, 1], a scalar...). Operand order is kept (a op b, not b op a).
std::optional<dnnl::memory> handedBinary(HandedBinaryOp op, const HandedOperand& a, const HandedOperand& b);

} // namespace bg
