// ConvTranspose: grouped / dilated N-d transposed convolution (1 to 3 spatial axes) with
// output_padding, output_shape and auto_pad. Fast path: oneDNN deconvolution_forward; configurations
// it refuses (an output_shape beyond the full result) run the reference loops.
#include "runtime/kernels/conv_setup.h"
#include "runtime/kernels/dnnl_conv.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

namespace {

std::vector<bg::Tensor> convKernel(const bg::KernelContext& ctx, bool fast)
{
    const bg::ConvCall c = bg::prepareConv(ctx, true);
    std::vector<float> y;
    if (fast) {
        y.resize(static_cast<size_t>(bg::shapeNumel(c.outShape)));
        const bool ran = bg::dnnlConvTranspose(c.shape, c.x, c.w, c.bias, y.data());
        ctx.tookFastPath(ran);
        if (!ran)
            y = bg::convTransposeReference(c.shape, c.x, c.w, c.bias);
    } else {
        y = bg::convTransposeReference(c.shape, c.x, c.w, c.bias);
    }
    return bg::outputs(bg::makeTensor(c.outShape, std::move(y), c.elemType));
}

} // namespace

void bg_register_conv_transpose(bg::OpRegistry& registry)
{
    registry.add({"ConvTranspose", [](const bg::KernelContext& ctx) { return convKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return convKernel(ctx, true); }});
}
