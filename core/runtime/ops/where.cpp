// Where: condition ? x : y, all three broadcast together (numpy rules).
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_where(bg::OpRegistry& registry)
{
    registry.add({"Where",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& c = ctx.in(0);
                      const bg::Tensor& x = ctx.in(1);
                      const bg::Tensor& y = ctx.in(2);
                      bg::requireSameDType(ctx, x, y);
                      const std::vector<int64_t> cond = bg::inputInts(ctx, 0, "condition");
                      const bg::Shape outShape = bg::broadcastShapes(ctx, {c.shape(), x.shape(), y.shape()});
                      const std::array<std::vector<int64_t>, 3> strides{bg::broadcastStrides(c.shape(), outShape),
                                                                        bg::broadcastStrides(x.shape(), outShape),
                                                                        bg::broadcastStrides(y.shape(), outShape)};
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          const auto xs = bg::valuesOf<T>(x);
                          const auto ys = bg::valuesOf<T>(y);
                          std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
                          bg::forEachBroadcast<3>(outShape, strides, [&](int64_t o, const std::array<int64_t, 3>& off) {
                              out[static_cast<size_t>(o)] = cond[static_cast<size_t>(off[0])] != 0
                                  ? xs[static_cast<size_t>(off[1])]
                                  : ys[static_cast<size_t>(off[2])];
                          });
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      }));
                  },
                  {}});
}
