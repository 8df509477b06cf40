// Trilu: keeps the upper (default) or lower triangle of the last two dims, shifted by the
// optional diagonal offset k (input 1); everything else becomes 0.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_trilu(bg::OpRegistry& registry)
{
    registry.add({"Trilu",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      if (x.rank() < 2)
                          ctx.fail(bg::ErrorCode::ShapeMismatch, "input must have rank 2 or more");
                      int64_t k = 0;
                      if (ctx.has(1)) {
                          const std::vector<int64_t> kv = bg::inputInts(ctx, 1, "k");
                          if (kv.size() != 1)
                              ctx.fail(bg::ErrorCode::ShapeMismatch, "k must be a scalar");
                          k = kv[0];
                      }
                      const bool upper = ctx.node.attrInt("upper", 1) != 0;
                      const int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
                      return bg::outputs(bg::visitDType(x, [&]<class T>(T) {
                          bg::Tensor y = x;
                          auto v = bg::valuesOf<T>(y);
                          for (size_t i = 0; i < v.size(); ++i) {
                              const auto idx = static_cast<int64_t>(i);
                              const int64_t c = idx % cols, r = (idx / cols) % rows;
                              // c - r compared with k; both are small, no overflow concerns except
                              // for an extreme k, which compares correctly in int64.
                              const bool keep = upper ? (c - r >= k) : (c - r <= k);
                              if (!keep)
                                  v[i] = T{};
                          }
                          return y;
                      }));
                  },
                  {}});
}
