// Range: start, start + delta, ... while below limit (above for negative delta);
// count = max(ceil((limit - start) / delta), 0).
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

#include <cmath>

void bg_register_range(bg::OpRegistry& registry)
{
    registry.add({"Range",
                  [](const bg::KernelContext& ctx) {
                      const bg::Tensor& start = ctx.in(0);
                      if (start.isFloat()) {
                          const double s = bg::inputScalarFloat(ctx, 0, "start");
                          const double l = bg::inputScalarFloat(ctx, 1, "limit");
                          const double d = bg::inputScalarFloat(ctx, 2, "delta");
                          if (d == 0.0 || !std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
                              ctx.fail(bg::ErrorCode::BadInput, "delta must be non-zero and all values finite");
                          const double count = std::max(std::ceil((l - s) / d), 0.0);
                          if (count > static_cast<double>(bg::kMaxKernelElements))
                              ctx.fail(bg::ErrorCode::TensorTooLarge, "range has too many elements");
                          const auto n = static_cast<int64_t>(count);
                          std::vector<float> v(static_cast<size_t>(n));
                          // Accumulate like the ONNX reference (start + i * delta in float).
                          const auto sf = static_cast<float>(s), df = static_cast<float>(d);
                          for (int64_t i = 0; i < n; ++i)
                              v[static_cast<size_t>(i)] = sf + static_cast<float>(i) * df;
                          return bg::outputs(bg::makeTensor(bg::Shape{n}, std::move(v), start.elemType()));
                      }
                      auto scalar = [&](size_t i, const char* what) {
                          const std::vector<int64_t> v = bg::inputInts(ctx, i, what);
                          if (v.size() != 1)
                              ctx.fail(bg::ErrorCode::ShapeMismatch, std::string(what) + " must be a scalar");
                          return v[0];
                      };
                      const int64_t s = scalar(0, "start"), l = scalar(1, "limit"), d = scalar(2, "delta");
                      if (d == 0)
                          ctx.fail(bg::ErrorCode::BadInput, "delta must be non-zero");
                      // Count in long double: (l - s) may overflow int64.
                      const long double span = static_cast<long double>(l) - static_cast<long double>(s);
                      const long double count = std::max(std::ceil(span / static_cast<long double>(d)), 0.0L);
                      if (count > static_cast<long double>(bg::kMaxKernelElements))
                          ctx.fail(bg::ErrorCode::TensorTooLarge, "range has too many elements");
                      const auto n = static_cast<int64_t>(count);
                      std::vector<int64_t> v(static_cast<size_t>(n));
                      for (int64_t i = 0; i < n; ++i)
                          v[static_cast<size_t>(i)] = s + i * d;
                      return bg::outputs(bg::makeTensor(bg::Shape{n}, std::move(v), start.elemType()));
                  },
                  {}});
}
