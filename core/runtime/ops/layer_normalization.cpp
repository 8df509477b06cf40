// LayerNormalization (opset 17): normalises over the dims from `axis` (default -1) to the end,
// Y = (X - mean) / sqrt(var + epsilon) * Scale + B, with Scale and B broadcast to X's shape.
// Optional outputs Mean and InvStdDev have X's shape with the normalised dims set to 1.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cmath>

void bg_register_layer_normalization(bg::OpRegistry& registry)
{
    registry.add({"LayerNormalization",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const bg::Tensor& scale = ctx.in(1);
                      bg::requireFloat(ctx, x);
                      const int rank = x.rank();
                      if (rank == 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must have rank 1 or more");
                      const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), rank);
                      const double eps = ctx.node.attrFloat("epsilon", 1e-5f);
                      const int64_t outer = bg::dimProduct(x.shape(), 0, axis);
                      const int64_t len = bg::dimProduct(x.shape(), axis, rank);
                      auto expanded = [&](const bg::Tensor& t, const char* what) {
                          if (!bg::broadcastsTo(t.shape(), x.shape()))
                              ctx.fail(bg::ErrorCode::ShapeMismatch, std::string(what) + " of shape " + bg::shapeToString(t.shape())
                                                                         + " does not broadcast to " + bg::shapeToString(x.shape()));
                          std::vector<float> v(static_cast<size_t>(x.numel()));
                          const std::vector<float> src = t.toFloatVector();
                          const std::array<std::vector<int64_t>, 1> strides{bg::broadcastStrides(t.shape(), x.shape())};
                          bg::forEachBroadcast<1>(x.shape(), strides, [&](int64_t o, const std::array<int64_t, 1>& off) {
                              v[static_cast<size_t>(o)] = src[static_cast<size_t>(off[0])];
                          });
                          return v;
                      };
                      const std::vector<float> s = expanded(scale, "Scale");
                      const std::vector<float> b = ctx.has(2) ? expanded(ctx.in(2), "B")
                                                              : std::vector<float>(static_cast<size_t>(x.numel()), 0.0f);
                      bg::Tensor y = x;
                      auto out = y.floats();
                      const auto in = x.floats();
                      std::vector<float> means(static_cast<size_t>(outer)), invStd(static_cast<size_t>(outer));
                      for (int64_t o = 0; o < outer; ++o) {
                          double sum = 0.0, sq = 0.0;
                          for (int64_t k = 0; k < len; ++k)
                              sum += in[static_cast<size_t>(o * len + k)];
                          const double mean = len ? sum / static_cast<double>(len) : 0.0;
                          for (int64_t k = 0; k < len; ++k) {
                              const double d = in[static_cast<size_t>(o * len + k)] - mean;
                              sq += d * d;
                          }
                          const double inv = 1.0 / std::sqrt((len ? sq / static_cast<double>(len) : 0.0) + eps);
                          for (int64_t k = 0; k < len; ++k) {
                              const auto i = static_cast<size_t>(o * len + k);
                              out[i] = static_cast<float>((in[i] - mean) * inv * s[i] + b[i]);
                          }
                          means[static_cast<size_t>(o)] = static_cast<float>(mean);
                          invStd[static_cast<size_t>(o)] = static_cast<float>(inv);
                      }
                      bg::Shape statShape = x.shape();
                      for (int d = axis; d < rank; ++d)
                          statShape[static_cast<size_t>(d)] = 1;
                      return bg::outputs(y, bg::Tensor(statShape, std::move(means)),
                                                     bg::Tensor(statShape, std::move(invStd)));
                  },
                  {}});
}
