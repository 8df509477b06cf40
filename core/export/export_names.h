#pragma once
// The names BiasGuard's exports give the nodes and the graph, decided in one place so that the
// fixed model, the encodings and the Model Explorer overlay agree on them. ONNX lets a node go
// without a name; an exported model never does: such a node is called after its first output,
// which is also what the analysis, the fix plan and the reports call it (Node::displayName).
#include <string>
#include <vector>

namespace bg {

// `name` when set, else the first non-empty output, else "<op>_<index>" (index in the graph's
// node list) for a node without outputs.
std::string exportNodeName(const std::string& name, const std::vector<std::string>& outputs,
                           const std::string& opType, int index);

// The graph's name, else "main_graph" (Model Explorer's overlay keys its data by the graph id).
std::string exportGraphName(const std::string& graphName);

} // namespace bg
