// Upsample (opsets 7-9, deprecated by Resize): scales from the attribute (opset 7) or input 1
// (opset 9); mode nearest or linear. Coordinates are asymmetric (x_in = x_out / scale) and nearest
// takes the floor, as ONNX Runtime does for this operator.
#include "runtime/kernels/axis_resample.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cmath>

void bg_register_upsample(bg::OpRegistry& registry)
{
    registry.add({"Upsample",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      bg::ResampleSpec spec;
                      spec.mode = bg::resampleModeFromName(ctx, ctx.node.attrString("mode", "nearest"));
                      spec.coordinateMode = "asymmetric";
                      spec.nearestMode = "simple";
                      const std::vector<float> scales = ctx.has(1) ? bg::inputFloats(ctx, 1, "scales")
                                                                   : ctx.node.attrFloats("scales", {});
                      if (scales.size() != x.shape().size())
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "scales has " + std::to_string(scales.size())
                                                                     + " entries for a rank-" + std::to_string(x.rank())
                                                                     + " input");
                      spec.outShape = x.shape();
                      for (size_t d = 0; d < scales.size(); ++d) {
                          const float extent = static_cast<float>(x.shape()[d]) * scales[d];
                          if (!(scales[d] >= 1.0f) || !(extent <= static_cast<float>(bg::kMaxKernelElements)))
                              ctx.fail(bg::ErrorCode::BadInput, "scale " + std::to_string(scales[d])
                                                                    + " must be at least 1 and give a sane size");
                          spec.scales.push_back(scales[d]);
                          spec.outShape[d] = static_cast<int64_t>(std::floor(extent));
                      }
                      return bg::outputs(bg::resample(ctx, x, spec));
                  },
                  {}});
}
