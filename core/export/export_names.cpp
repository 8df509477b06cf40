#include "export/export_names.h"

namespace bg {

std::string exportNodeName(const std::string& name, const std::vector<std::string>& outputs,
                           const std::string& opType, int index)
{
    if (!name.empty())
        return name;
    for (const std::string& out : outputs)
        if (!out.empty())
            return out;
    return opType + "_" + std::to_string(index);
}

std::string exportGraphName(const std::string& graphName)
{
    return graphName.empty() ? "main_graph" : graphName;
}

} // namespace bg
