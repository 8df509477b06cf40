// Constant: the tensor in its `value*` attribute. The loader folds Constant nodes into the graph's
// constants, so this only runs for graphs built in code (tests, transformations).
#include "runtime/kernels/shape_util.h"
#include "runtime/op_registry.h"

void bg_register_constant(bg::OpRegistry& registry)
{
    registry.add({"Constant",
                  [](const bg::KernelContext& ctx) {
                      const bg::Node& n = ctx.node;
                      if (n.hasAttr("value"))
                          return bg::outputs(n.attrTensor("value"));
                      if (n.hasAttr("value_float"))
                          return bg::outputs(bg::Tensor::scalar(n.attrFloat("value_float")));
                      if (n.hasAttr("value_int"))
                          return bg::outputs(bg::Tensor::scalarInt(n.attrInt("value_int")));
                      if (n.hasAttr("value_floats")) {
                          std::vector<float> v = n.attrFloats("value_floats", {});
                          const auto len = static_cast<int64_t>(v.size());
                          return bg::outputs(bg::Tensor(bg::Shape{len}, std::move(v)));
                      }
                      if (n.hasAttr("value_ints")) {
                          std::vector<int64_t> v = n.attrInts("value_ints", {});
                          const auto len = static_cast<int64_t>(v.size());
                          return bg::outputs(bg::Tensor(bg::Shape{len}, std::move(v)));
                      }
                      ctx.fail(bg::ErrorCode::BadAttribute,
                               "needs one of the attributes value, value_float(s), value_int(s) "
                               "(string and sparse constants are not supported)");
                  },
                  {}});
}
