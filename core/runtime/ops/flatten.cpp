// Flatten: to 2-D [prod(dims before axis), prod(dims from axis)]; axis in [-rank, rank], default 1.
#include "runtime/kernels/axis_util.h"
#include "runtime/op_registry.h"

#include <string>

void bg_register_flatten(bg::OpRegistry& registry)
{
    registry.add({"Flatten",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const int64_t rank = x.rank();
                      int64_t axis = ctx.node.attrInt("axis", 1);
                      // axis == rank is allowed (everything goes to the first dim).
                      if (axis < -rank || axis > rank)
                          ctx.fail(bg::ErrorCode::BadAttribute, "axis " + std::to_string(axis)
                                                                    + " is out of range for rank " + std::to_string(rank));
                      const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
                      const int64_t outer = bg::dimProduct(x.shape(), 0, a);
                      const int64_t inner = bg::dimProduct(x.shape(), a, static_cast<int>(rank));
                      return bg::outputs(ctx.takeOrCopyOf(x).reshaped(bg::Shape{outer, inner}));
                  },
                  {}});
}
