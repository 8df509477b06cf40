#include "model/graph.h"

#include <algorithm>

namespace bg {

const Tensor* Graph::constant(const std::string& name) const
{
    auto it = constants.find(name);
    return it == constants.end() ? nullptr : it->second.get();
}

std::shared_ptr<const Tensor> Graph::sharedConstant(const std::string& name) const
{
    auto it = constants.find(name);
    return it == constants.end() ? nullptr : it->second;
}

bool Graph::isGraphOutput(const std::string& name) const
{
    return std::any_of(outputs.begin(), outputs.end(), [&](const ValueInfo& v) { return v.name == name; });
}

int Graph::producerOf(const std::string& name) const
{
    for (size_t n = 0; n < nodes.size(); ++n)
        for (const auto& out : nodes[n].outputs)
            if (out == name)
                return static_cast<int>(n);
    return -1;
}

std::vector<size_t> Graph::consumersOf(const std::string& name) const
{
    std::vector<size_t> result;
    for (size_t n = 0; n < nodes.size(); ++n)
        if (std::find(nodes[n].inputs.begin(), nodes[n].inputs.end(), name) != nodes[n].inputs.end())
            result.push_back(n);
    return result;
}

std::vector<int64_t> Graph::staticShape(const std::string& name, bool* complete) const
{
    std::vector<int64_t> shape;
    bool ok = false;
    if (const Tensor* c = constant(name)) {
        shape = c->shape();
        ok = true;
    } else if (auto it = valueInfo.find(name); it != valueInfo.end() && it->second.hasShape) {
        ok = true;
        for (const Dim& d : it->second.dims) {
            shape.push_back(d.value);
            ok = ok && d.known();
        }
    }
    if (complete)
        *complete = ok;
    return shape;
}

} // namespace bg
