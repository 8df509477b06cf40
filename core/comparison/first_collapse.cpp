#include "comparison/first_collapse.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace bg {

namespace {

class UpstreamSqnr {
public:
    UpstreamSqnr(const ModelStructure& model, const std::vector<double>& sqnr) : graph_(model.graph)
    {
        for (size_t gi = 0; gi < model.groups.groups.size() && gi < sqnr.size(); ++gi)
            known_[model.groups.groups[gi].groupOutput] = sqnr[gi];
        for (size_t n = 0; n < graph_.nodes.size(); ++n)
            for (const std::string& out : graph_.nodes[n].outputs)
                producer_[out] = n;
    }

    // NaN: unknown (fed only by graph inputs and constants).
    double of(const std::string& tensor)
    {
        if (auto it = known_.find(tensor); it != known_.end())
            return it->second;
        known_[tensor] = NAN;  // a cycle cannot happen (topological graph); this also memoizes
        double lowest = NAN;
        if (auto p = producer_.find(tensor); p != producer_.end())
            for (const std::string& in : graph_.nodes[p->second].inputs) {
                if (in.empty())
                    continue;
                const double s = of(in);
                if (!std::isnan(s))
                    lowest = std::isnan(lowest) ? s : std::min(lowest, s);
            }
        known_[tensor] = lowest;
        return lowest;
    }

private:
    const Graph& graph_;
    std::map<std::string, double> known_;
    std::map<std::string, size_t> producer_;
};

} // namespace

std::optional<FirstCollapse> findFirstCollapse(const ModelStructure& model, const std::vector<double>& groupOutputSqnrDb,
                                               double dropDb)
{
    UpstreamSqnr upstream(model, groupOutputSqnrDb);
    const auto& groups = model.groups.groups;
    for (size_t gi = 0; gi < groups.size() && gi < groupOutputSqnrDb.size(); ++gi) {
        const double in = upstream.of(groups[gi].input);
        const double out = groupOutputSqnrDb[gi];
        if (std::isnan(in) || std::isnan(out))
            continue;
        // +inf in (exact upstream) and a finite out is a fall by any measure; inf − inf is no fall.
        if (std::isinf(in) && std::isinf(out))
            continue;
        if (in - out >= dropDb)
            return FirstCollapse{groups[gi].name, groups[gi].input, in, out};
    }
    return std::nullopt;
}

} // namespace bg
