// Expand: broadcasts the input to the numpy-broadcast of its shape and the `shape` input (so a
// shape smaller than the input's keeps the input's dims).
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_expand(bg::OpRegistry& registry)
{
    registry.add({"Expand",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const std::vector<int64_t> spec = bg::inputInts(ctx, 1, "shape");
                      for (int64_t d : spec)
                          if (d < 0)
                              ctx.fail(bg::ErrorCode::ShapeMismatch, "shape " + bg::shapeToString(spec)
                                                                         + " has a negative dimension");
                      const bg::Shape outShape = bg::broadcastShapes(ctx, {x.shape(), bg::Shape(spec)});
                      const std::array<std::vector<int64_t>, 1> strides{bg::broadcastStrides(x.shape(), outShape)};
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          const auto src = bg::valuesOf<T>(x);
                          std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
                          bg::forEachBroadcast<1>(outShape, strides, [&](int64_t o, const std::array<int64_t, 1>& off) {
                              out[static_cast<size_t>(o)] = src[static_cast<size_t>(off[0])];
                          });
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      }));
                  },
                  {}});
}
