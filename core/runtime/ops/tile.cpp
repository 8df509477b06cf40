// Tile: repeats the input repeats[d] times along each dim d.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_tile(bg::OpRegistry& registry)
{
    registry.add({"Tile",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const std::vector<int64_t> repeats = bg::inputInts(ctx, 1, "repeats");
                      const int rank = x.rank();
                      if (static_cast<int>(repeats.size()) != rank)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "repeats has " + std::to_string(repeats.size())
                                                                     + " entries for a rank-" + std::to_string(rank)
                                                                     + " input");
                      bg::Shape outShape(static_cast<size_t>(rank));
                      for (size_t d = 0; d < repeats.size(); ++d) {
                          if (repeats[d] < 0)
                              ctx.fail(bg::ErrorCode::BadInput, "repeats must not be negative");
                          if (repeats[d] != 0 && x.shape()[d] > bg::kMaxKernelElements / repeats[d])
                              ctx.fail(bg::ErrorCode::TensorTooLarge, "tiled output is too large");
                          outShape[d] = x.shape()[d] * repeats[d];
                      }
                      bg::checkedNumel(ctx, outShape);
                      const std::vector<int64_t> inStrides = bg::shapeStrides(x.shape());
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          const auto src = bg::valuesOf<T>(x);
                          std::vector<T> out(static_cast<size_t>(bg::shapeNumel(outShape)));
                          std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
                          for (size_t o = 0; o < out.size(); ++o) {
                              int64_t off = 0;
                              for (size_t d = 0; d < idx.size(); ++d)
                                  off += (idx[d] % x.shape()[d]) * inStrides[d];
                              out[o] = src[static_cast<size_t>(off)];
                              for (int d = rank - 1; d >= 0; --d) {
                                  const auto du = static_cast<size_t>(d);
                                  if (++idx[du] < outShape[du])
                                      break;
                                  idx[du] = 0;
                              }
                          }
                          return bg::makeTensor(outShape, std::move(out), x.elemType());
                      }));
                  },
                  {}});
}
