// GatherElements: out[i][j][k] = data[index][j][k] (for axis 0) where index = indices[i][j][k];
// the output has the indices' shape. Negative indices count from the end.
#include "runtime/kernels/axis_util.h"
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_gather_elements(bg::OpRegistry& registry)
{
    registry.add({"GatherElements",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& data = ctx.in(0);
                      const bg::Tensor& idxT = ctx.in(1);
                      const int rank = data.rank();
                      if (idxT.rank() != rank || rank == 0)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "indices must have the data's rank");
                      const int axis = bg::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), rank);
                      for (int d = 0; d < rank; ++d)
                          if (d != axis && idxT.dim(d) > data.dim(d))
                              ctx.fail(bg::ErrorCode::ShapeMismatch, "indices shape " + bg::shapeToString(idxT.shape())
                                                                         + " exceeds data shape "
                                                                         + bg::shapeToString(data.shape()));
                      const std::vector<int64_t> indices = bg::inputInts(ctx, 1, "indices");
                      const std::vector<int64_t> ds = bg::shapeStrides(data.shape());
                      const int64_t dim = data.dim(axis);
                      return bg::outputs(bg::visitDType(data, [&]<class T>(T) {
                          const auto src = bg::valuesOf<T>(data);
                          std::vector<T> out(indices.size());
                          std::vector<int64_t> pos(static_cast<size_t>(rank), 0);
                          for (size_t o = 0; o < out.size(); ++o) {
                              int64_t k = indices[o];
                              if (k < -dim || k >= dim)
                                  ctx.fail(bg::ErrorCode::BadInput, "index " + std::to_string(k) + " is out of range for axis "
                                                                        + std::to_string(axis) + " of size " + std::to_string(dim));
                              if (k < 0)
                                  k += dim;
                              int64_t off = 0;
                              for (int d = 0; d < rank; ++d)
                                  off += (d == axis ? k : pos[static_cast<size_t>(d)]) * ds[static_cast<size_t>(d)];
                              out[o] = src[static_cast<size_t>(off)];
                              for (int d = rank - 1; d >= 0; --d) {
                                  if (++pos[static_cast<size_t>(d)] < idxT.dim(d))
                                      break;
                                  pos[static_cast<size_t>(d)] = 0;
                              }
                          }
                          return bg::makeTensor(idxT.shape(), std::move(out), data.elemType());
                      }));
                  },
                  {}});
}
