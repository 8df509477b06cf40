#pragma once
// Sliding-window geometry shared by Conv, ConvTranspose and the pools: kernel, strides, dilations,
// explicit or automatic pads, and the output size. Reference and oneDNN kernels both take their
// shapes from here, so the two can never disagree about where a window starts.
#include "runtime/kernel_context.h"

#include <cstdint>
#include <vector>

namespace bg {

enum class AutoPad { NotSet, Valid, SameUpper, SameLower };

// The node's auto_pad attribute; fails (BadAttribute) on an unknown value.
AutoPad readAutoPad(const KernelContext& ctx);

struct WindowGeometry {
    std::vector<int64_t> in;         // input spatial dims
    std::vector<int64_t> kernel;
    std::vector<int64_t> strides;
    std::vector<int64_t> dilations;  // ONNX meaning: 1 = dense
    std::vector<int64_t> padBegin;
    std::vector<int64_t> padEnd;     // ConvTranspose: may be negative (output_shape larger than full)
    std::vector<int64_t> out;        // output spatial dims
    std::vector<int64_t> outputPadding;  // ConvTranspose only (zeros elsewhere)

    size_t rank() const { return in.size(); }
    int64_t extent(size_t i) const { return (kernel[i] - 1) * dilations[i] + 1; }
    // Spatial element counts.
    int64_t inSize() const;
    int64_t outSize() const;
    int64_t kernelSize() const;
};

// Conv and pools: reads strides, dilations (when `withDilations`), pads and auto_pad from the
// node. `ceilMode` rounds the output size up (pools); a window that would start in the end
// padding is dropped, as PyTorch and ONNX Runtime do.
WindowGeometry windowGeometry(const KernelContext& ctx, const std::vector<int64_t>& inSpatial,
                              const std::vector<int64_t>& kernel, bool ceilMode, bool withDilations);

// ConvTranspose: reads strides, dilations, pads, output_padding, output_shape and auto_pad.
// Output index o = i * stride + k * dilation - padBegin.
WindowGeometry transposeGeometry(const KernelContext& ctx, const std::vector<int64_t>& inSpatial,
                                 const std::vector<int64_t>& kernel);

// Kernel spatial dims: the kernel_shape attribute if present (checked against `fromWeights` when
// that is non-empty), else `fromWeights`.
std::vector<int64_t> kernelShape(const KernelContext& ctx, const std::vector<int64_t>& fromWeights);

} // namespace bg
