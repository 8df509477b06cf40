// Dropout at inference: y = x, and the optional mask output is all true. Training mode (opset 12
// input `training_mode` set to true) would need random numbers and is refused.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_dropout(bg::OpRegistry& registry)
{
    registry.add({"Dropout",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      if (ctx.opset >= 12 && ctx.has(2)) {
                          const std::vector<int64_t> training = bg::inputInts(ctx, 2, "training_mode");
                          if (!training.empty() && training[0] != 0) {
                              // ratio 0 is still an identity in training mode.
                              const bool zeroRatio = ctx.has(1) && bg::inputScalarFloat(ctx, 1, "ratio") == 0.0f;
                              if (!zeroRatio)
                                  ctx.fail(bg::ErrorCode::UnsupportedOp,
                                           "training mode (random dropout) is not supported; export the model for inference");
                          }
                      }
                      std::vector<bg::Tensor> outs{x};
                      if (ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty()) {
                          bg::checkedNumel(ctx, x.shape(), "mask");
                          // Opset < 10 declares the mask with the input's type; later opsets as bool.
                          if (ctx.opset < 10 && x.isFloat())
                              outs.push_back(bg::makeTensor(x.shape(), std::vector<float>(static_cast<size_t>(x.numel()), 1.0f),
                                                            x.elemType()));
                          else
                              outs.push_back(bg::makeTensor(x.shape(), std::vector<int64_t>(static_cast<size_t>(x.numel()), 1),
                                                            bg::kOnnxBool));
                      }
                      return outs;
                  },
                  {}});
}
