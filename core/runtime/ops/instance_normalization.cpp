// InstanceNormalization: per sample and channel, over the spatial dims:
// y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c].
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cmath>

void bg_register_instance_normalization(bg::OpRegistry& registry)
{
    registry.add({"InstanceNormalization",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bg::requireFloat(ctx, x);
                      if (x.rank() < 2)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must be N x C x ...");
                      const std::vector<float> scale = ctx.in(1).toFloatVector();
                      const std::vector<float> bias = ctx.in(2).toFloatVector();
                      const int64_t n = x.dim(0), c = x.dim(1);
                      if (static_cast<int64_t>(scale.size()) != c || static_cast<int64_t>(bias.size()) != c)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "scale and B must have one value per channel");
                      const double eps = ctx.node.attrFloat("epsilon", 1e-5f);
                      const int64_t len = (n * c != 0) ? x.numel() / (n * c) : 0;
                      bg::Tensor y = x;
                      auto out = y.floats();
                      const auto in = x.floats();
                      for (int64_t g = 0; g < n * c; ++g) {
                          double sum = 0.0, sq = 0.0;
                          for (int64_t k = 0; k < len; ++k)
                              sum += in[static_cast<size_t>(g * len + k)];
                          const double mean = len ? sum / static_cast<double>(len) : 0.0;
                          for (int64_t k = 0; k < len; ++k) {
                              const double d = in[static_cast<size_t>(g * len + k)] - mean;
                              sq += d * d;
                          }
                          const double inv = 1.0 / std::sqrt((len ? sq / static_cast<double>(len) : 0.0) + eps);
                          const auto ch = static_cast<size_t>(g % c);
                          for (int64_t k = 0; k < len; ++k) {
                              const auto i = static_cast<size_t>(g * len + k);
                              out[i] = static_cast<float>((in[i] - mean) * inv * scale[ch] + bias[ch]);
                          }
                      }
                      return bg::outputs(y);
                  },
                  {}});
}
