#include "runtime/op_registry.h"

namespace bg {

const Tensor& KernelContext::in(size_t i) const
{
    if (!has(i))
        fail(ErrorCode::InvalidModel, "required input " + std::to_string(i) + " is missing");
    return *inputs[i];
}

Tensor KernelContext::takeOrCopy(size_t i) const
{
    if (Tensor* t = takeable(i))
        return std::move(*t);
    return in(i);
}

Tensor* KernelContext::takeableOf(const Tensor& x) const
{
    for (size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i] == &x)
            if (Tensor* t = takeable(i))
                return t;
    return nullptr;
}

Tensor KernelContext::takeOrCopyOf(const Tensor& x) const
{
    if (Tensor* t = takeableOf(x))
        return std::move(*t);
    return x;
}

void KernelContext::fail(ErrorCode code, const std::string& problem) const
{
    throw Error(code, node.describe(), problem);
}

const OpRegistry& OpRegistry::instance()
{
    static const OpRegistry registry = [] {
        OpRegistry r;
        registerAllOps(r);
        return r;
    }();
    return registry;
}

void OpRegistry::add(OpDef def)
{
    std::string key = def.opType;
    ops_[key] = std::move(def);
}

const OpDef* OpRegistry::find(const std::string& opType) const
{
    auto it = ops_.find(opType);
    return it == ops_.end() ? nullptr : &it->second;
}

std::vector<std::string> OpRegistry::opTypes() const
{
    std::vector<std::string> names;
    for (const auto& [name, def] : ops_)
        names.push_back(name);
    return names;
}

} // namespace bg
