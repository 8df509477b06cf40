// NonZero: int64 [rank, count] coordinates of the non-zero elements, in row-major order.
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_non_zero(bg::OpRegistry& registry)
{
    registry.add({"NonZero",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& x = ctx.in(0);
                      const std::vector<float> v = x.toFloatVector();
                      const std::vector<int64_t> strides = bg::shapeStrides(x.shape());
                      const auto rank = static_cast<size_t>(x.rank());
                      std::vector<int64_t> flat;
                      for (size_t i = 0; i < v.size(); ++i)
                          if (x.isFloat() ? v[i] != 0.0f : x.ints()[i] != 0)
                              flat.push_back(static_cast<int64_t>(i));
                      const auto count = static_cast<int64_t>(flat.size());
                      std::vector<int64_t> out(rank * flat.size());
                      for (size_t n = 0; n < flat.size(); ++n)
                          for (size_t d = 0; d < rank; ++d)
                              out[d * flat.size() + n] = (flat[n] / strides[d]) % x.shape()[d];
                      // A scalar has rank 0: ONNX gives shape [1, count] with coordinate 0.
                      if (rank == 0)
                          return bg::outputs(
                              bg::Tensor(bg::Shape{1, count}, std::vector<int64_t>(flat.size(), 0)));
                      return bg::outputs(bg::Tensor(bg::Shape{static_cast<int64_t>(rank), count}, std::move(out)));
                  },
                  {}});
}
