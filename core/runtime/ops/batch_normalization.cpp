// BatchNormalization in inference mode: Y = (X - mean) / sqrt(var + epsilon) * scale + B per
// channel (axis 1). Training mode, the running-statistics outputs and opset < 9 spatial=0 are
// refused with UnsupportedOp rather than computed wrongly.
#include "runtime/kernels/batch_norm_inference.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/kernels/parallel_ranges.h"
#include "runtime/op_registry.h"

#include <cmath>

namespace {

std::vector<bg::Tensor> batchNormKernel(const bg::KernelContext& ctx, bool fast)
{
    if (const std::optional<std::string> why = bg::batchNormUnsupported(ctx.node, ctx.opset))
        ctx.fail(bg::ErrorCode::UnsupportedOp, *why);
    const bg::Tensor& x = ctx.in(0);
    bg::requireFloat(ctx, x, "X");
    if (x.rank() < 2)
        ctx.fail(bg::ErrorCode::ShapeMismatch, "X must be N x C x ..., got " + bg::shapeToString(x.shape()));
    const int64_t channels = x.dim(1);
    const char* names[] = {"scale", "B", "input_mean", "input_var"};
    const float* params[4] = {};
    for (size_t i = 0; i < 4; ++i) {
        const bg::Tensor& t = ctx.in(i + 1);
        bg::requireFloat(ctx, t, names[i]);
        if (t.numel() != channels)
            ctx.fail(bg::ErrorCode::ShapeMismatch, std::string(names[i]) + " " + bg::shapeToString(t.shape())
                                                       + " must hold one value per channel ("
                                                       + std::to_string(channels) + ")");
        params[i] = t.floats().data();
    }
    const double epsilon = ctx.node.attrFloat("epsilon", 1e-5f);
    const int64_t batch = x.dim(0);
    const int64_t plane = channels == 0 || batch == 0 ? 0 : x.numel() / (batch * channels);
    if (fast)
        ctx.tookFastPath(true);
    bg::Tensor y = x;
    float* py = y.floats().data();
    // Planes (n, c) on the thread team, each element on its own: the same values on any split.
    bg::parallelRanges(batch * channels, plane, [&](int64_t begin, int64_t end) {
        for (int64_t nc = begin; nc < end; ++nc) {
            const int64_t c = nc % channels;
            const double scale = params[0][c], bias = params[1][c], mean = params[2][c], var = params[3][c];
            const double inv = 1.0 / std::sqrt(var + epsilon);
            float* p = py + nc * plane;
            if (fast) {
                // One multiply and one add per element with folded float coefficients.
                const bg::BatchNormCoefficient k = bg::batchNormFastCoefficient(scale, bias, mean, var, epsilon);
                const float fa = k.a, fb = k.b;
                for (int64_t i = 0; i < plane; ++i)
                    p[i] = p[i] * fa + fb;
            } else {
                for (int64_t i = 0; i < plane; ++i)
                    p[i] = static_cast<float>((double(p[i]) - mean) * inv * scale + bias);
            }
        }
    });
    return bg::outputs(std::move(y));
}

} // namespace

void bg_register_batch_normalization(bg::OpRegistry& registry)
{
    registry.add({"BatchNormalization", [](const bg::KernelContext& ctx) { return batchNormKernel(ctx, false); },
                  [](const bg::KernelContext& ctx) { return batchNormKernel(ctx, true); }});
}
