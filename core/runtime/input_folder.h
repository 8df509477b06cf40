#pragma once
// The ONNX test-data convention for one sample: DIR/input_0.pb, input_1.pb, ... Each tensor is
// matched to a graph input by its TensorProto name when that name is set and known, else by
// position among the graph's (non-constant) inputs.
#include "model/graph.h"

#include <map>
#include <string>
#include <vector>

namespace bg {

// Files DIR/<prefix>K.pb sorted by K (input_2 before input_10). Empty when there are none.
std::vector<std::string> numberedTensorFiles(const std::string& dir, const std::string& prefix);

// Throws bg::Error naming the folder or file: missing folder, no input_K.pb, count mismatch,
// unknown or duplicate names, shape/type mismatch with the graph's declaration.
std::map<std::string, Tensor> readInputFolder(const std::string& dir, const Graph& graph);

} // namespace bg
