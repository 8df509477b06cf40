#include "runtime/memory_estimate.h"

#include "io/error.h"
#include "io/resource_limits.h"

#include <limits>
#include <unordered_map>

namespace bg {

namespace {

constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max() / 4;

int64_t saturatingAdd(int64_t a, int64_t b)
{
    return a > kSaturated - b ? kSaturated : a + b;
}

// Bytes of a static shape (float32 or int64 as the runtime holds it); 0 when not all dims are known.
int64_t staticBytes(const ValueInfo& info)
{
    if (!info.hasShape)
        return 0;
    int64_t n = isFloatElemType(info.elemType) || info.elemType == 0 ? 4 : 8;
    for (const Dim& d : info.dims) {
        if (!d.known())
            return 0;
        if (d.value != 0 && n > kSaturated / d.value)
            return kSaturated;
        n *= d.value;
    }
    return n;
}

int64_t shapeBytes(const Shape& shape, bool isFloat)
{
    int64_t n = isFloat ? 4 : 8;
    for (int64_t d : shape) {
        if (d <= 0)
            return 0;
        if (n > kSaturated / d)
            return kSaturated;
        n *= d;
    }
    return n;
}

} // namespace

RunMemoryEstimate estimateRunMemory(const Graph& graph, const std::map<std::string, Shape>& inputShapes,
                                    const std::set<std::string>& keep)
{
    RunMemoryEstimate e;
    for (const auto& [name, t] : graph.constants)
        e.constants = saturatingAdd(e.constants, t->numel() * (t->isFloat() ? 4 : 8));

    auto bytesOf = [&](const std::string& name) -> int64_t {
        if (auto it = inputShapes.find(name); it != inputShapes.end()) {
            const auto vi = graph.valueInfo.find(name);
            return shapeBytes(it->second, vi == graph.valueInfo.end() || vi->second.takesFloat());
        }
        auto it = graph.valueInfo.find(name);
        return it == graph.valueInfo.end() ? 0 : staticBytes(it->second);
    };

    std::unordered_map<std::string, size_t> remaining;
    for (const Node& node : graph.nodes)
        for (const auto& in : node.inputs)
            if (!in.empty() && !graph.isConstant(in))
                ++remaining[in];
    int64_t live = 0;
    for (const ValueInfo& in : graph.inputs)
        live = saturatingAdd(live, bytesOf(in.name));
    e.peakLive = live;
    for (const Node& node : graph.nodes) {
        for (const auto& out : node.outputs) {
            if (out.empty())
                continue;
            const int64_t b = bytesOf(out);
            if (keep.count(out) || graph.isGraphOutput(out))
                e.kept = saturatingAdd(e.kept, b);
            if (remaining[out] > 0)
                live = saturatingAdd(live, b);
        }
        e.peakLive = std::max(e.peakLive, live);
        for (const auto& in : node.inputs)
            if (!in.empty() && !graph.isConstant(in) && --remaining[in] == 0)
                live -= std::min(live, bytesOf(in));
    }
    return e;
}

void requireMemory(const Graph& graph, int64_t bytes, int64_t limit, const std::string& what)
{
    if (limit > 0 && bytes > limit)
        throw Error(ErrorCode::OverLimit, graph.path,
                    what + " would need about " + formatBytes(bytes) + " of memory (the model's static shapes), over "
                        + "the limit of " + formatBytes(limit) + " (" + formatBytes(machineMemoryBytes())
                        + " on this machine; ResourceLimits::maxMemoryBytes, README \"Limits\")");
}

} // namespace bg
