#include "model/topo_sort.h"

#include "io/error.h"

#include <functional>
#include <queue>
#include <unordered_map>

namespace bg {

std::vector<Node> topologicalSort(std::vector<Node> nodes, const std::set<std::string>& available,
                                  const std::string& subject)
{
    std::unordered_map<std::string, size_t> producer;
    for (size_t n = 0; n < nodes.size(); ++n) {
        for (const std::string& out : nodes[n].outputs) {
            if (out.empty())
                continue;
            if (available.count(out))
                throw Error(ErrorCode::InvalidModel, subject,
                            nodes[n].describe() + " writes '" + out
                                + "', which is already a graph input or a constant");
            auto [it, inserted] = producer.emplace(out, n);
            if (!inserted)
                throw Error(ErrorCode::InvalidModel, subject,
                            "tensor '" + out + "' is produced twice: by " + nodes[it->second].describe() + " and by "
                                + nodes[n].describe());
        }
    }

    // Edges producer -> consumer, counted once per distinct producer.
    std::vector<size_t> pending(nodes.size(), 0);
    std::vector<std::vector<size_t>> consumers(nodes.size());
    for (size_t n = 0; n < nodes.size(); ++n) {
        std::set<size_t> deps;
        for (const std::string& in : nodes[n].inputs) {
            if (in.empty() || available.count(in))
                continue;
            auto it = producer.find(in);
            if (it == producer.end())
                throw Error(ErrorCode::MissingTensor, subject,
                            nodes[n].describe() + " reads '" + in
                                + "', which is not a graph input, a constant or any node's output");
            deps.insert(it->second);
        }
        pending[n] = deps.size();
        for (size_t d : deps)
            consumers[d].push_back(n);
    }

    // Smallest index first, so an already sorted file keeps its order exactly.
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    for (size_t n = 0; n < nodes.size(); ++n)
        if (pending[n] == 0)
            ready.push(n);
    std::vector<size_t> order;
    order.reserve(nodes.size());
    while (!ready.empty()) {
        const size_t n = ready.top();
        ready.pop();
        order.push_back(n);
        for (size_t c : consumers[n])
            if (--pending[c] == 0)
                ready.push(c);
    }

    if (order.size() != nodes.size()) {
        // Walk back along unfinished producers from any stuck node; the walk must revisit a node,
        // and the first one revisited lies on a cycle.
        size_t cur = 0;
        while (pending[cur] == 0)
            ++cur;
        std::vector<bool> seen(nodes.size(), false);
        while (!seen[cur]) {
            seen[cur] = true;
            for (const std::string& in : nodes[cur].inputs) {
                auto it = producer.find(in);
                if (!in.empty() && !available.count(in) && it != producer.end() && pending[it->second] > 0) {
                    cur = it->second;
                    break;
                }
            }
        }
        throw Error(ErrorCode::CyclicGraph, subject,
                    "the graph has a cycle through " + nodes[cur].describe()
                        + "; a node's inputs must not depend on its own outputs");
    }

    std::vector<Node> sorted;
    sorted.reserve(nodes.size());
    for (size_t n : order)
        sorted.push_back(std::move(nodes[n]));
    return sorted;
}

} // namespace bg
