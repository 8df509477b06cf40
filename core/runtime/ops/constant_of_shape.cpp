// ConstantOfShape: a tensor of the given shape filled with the one-element `value` attribute
// (float 0 when absent).
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_constant_of_shape(bg::OpRegistry& registry)
{
    registry.add({"ConstantOfShape",
                  [](const bg::KernelContext& ctx) {
                      const std::vector<int64_t> spec = bg::inputInts(ctx, 0, "shape");
                      const bg::Shape shape(spec.begin(), spec.end());
                      const auto n = static_cast<size_t>(bg::checkedNumel(ctx, shape));
                      if (!ctx.node.hasAttr("value"))
                          return bg::outputs(bg::Tensor(shape, std::vector<float>(n, 0.0f)));
                      const bg::Tensor& value = ctx.node.attrTensor("value");
                      if (value.numel() != 1)
                          ctx.fail(bg::ErrorCode::BadAttribute, "value must hold exactly one element");
                      if (value.isFloat())
                          return bg::outputs(
                              bg::makeTensor(shape, std::vector<float>(n, value.floats()[0]), value.elemType()));
                      return bg::outputs(
                          bg::makeTensor(shape, std::vector<int64_t>(n, value.ints()[0]), value.elemType()));
                  },
                  {}});
}
