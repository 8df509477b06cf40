#pragma once
// Reads an .onnx file into a bg::Graph. Every failure is a bg::Error whose message starts with the
// file's path; nothing is allocated before its declared size has been checked against the limit.
#include "model/graph.h"

#include <cstdint>
#include <string>

namespace bg {

struct LoadOptions {
    // Largest single tensor (initializer, Constant, external data) accepted, in bytes.
    int64_t maxTensorBytes = int64_t{2} << 30;
    // Run ONNX shape inference to fill Graph::valueInfo (static shapes for reports and checks).
    bool inferShapes = true;
};

Graph loadModel(const std::string& path, const LoadOptions& options = {});

// Same from bytes already in memory; `path` names the model in messages and anchors external data.
Graph loadModelFromBytes(const std::string& bytes, const std::string& path, const LoadOptions& options = {});

} // namespace bg
