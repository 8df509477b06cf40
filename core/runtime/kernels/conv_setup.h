#pragma once
// Checks a Conv / ConvTranspose node's inputs and attributes and resolves its geometry, so the
// operator files only choose between the reference and the oneDNN kernel.
#include "runtime/kernels/conv_reference.h"

namespace bg {

struct ConvCall {
    ConvShape shape;
    const float* x = nullptr;
    const float* w = nullptr;
    const float* bias = nullptr;  // nullptr when the optional B input is omitted
    Shape outShape;               // [N, M, out...], size checked
    int32_t elemType = 1;
};

// `handedShape`: the input arrives in oneDNN's layout (ConvHandoff) with these dims; input 0 is
// then absent and call.x stays nullptr.
ConvCall prepareConv(const KernelContext& ctx, bool transpose, const Shape* handedShape = nullptr);

} // namespace bg
