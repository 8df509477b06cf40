#pragma once
// Orders a graph's nodes so that every node comes after the producers of its inputs (Kahn's
// algorithm, keeping the file's order where it is free to). Also the place where the graph's
// wiring is validated: duplicate producers, inputs nobody produces and cycles.
#include "model/node.h"

#include <set>
#include <string>
#include <vector>

namespace bg {

// `available` holds the tensors that exist before any node runs (graph inputs and constants).
// Throws bg::Error naming `subject`: InvalidModel (two producers of one tensor), MissingTensor
// (an input nothing produces), CyclicGraph (naming a node on the cycle).
std::vector<Node> topologicalSort(std::vector<Node> nodes, const std::set<std::string>& available,
                                  const std::string& subject);

} // namespace bg
