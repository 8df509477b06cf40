#pragma once
// Reads an .onnx file into a bg::Graph. Every failure is a bg::Error whose message starts with the
// file's path; nothing is allocated before its declared size has been checked against the limit.
#include "io/resource_limits.h"
#include "model/graph.h"

#include <cstdint>
#include <string>

namespace bg {

struct LoadOptions {
    // maxTensorBytes bounds every stored tensor, maxNodes the graph (counted before protobuf parses
    // it), maxTensorElements every input and activation whose static shape the model declares or
    // shape inference derives (a Reshape/Expand/ConstantOfShape to 2^31 elements is refused here,
    // before anything runs). maxMemoryBytes is not the loader's.
    ResourceLimits limits;
    // Run ONNX shape inference to fill Graph::valueInfo (static shapes for reports and checks).
    bool inferShapes = true;
};

Graph loadModel(const std::string& path, const LoadOptions& options = {});

// Same from bytes already in memory; `path` names the model in messages and anchors external data.
Graph loadModelFromBytes(const std::string& bytes, const std::string& path, const LoadOptions& options = {});

} // namespace bg
