#pragma once
// The check every exported model passes before it is written: onnx::checker, then shape inference
// in strict mode (type checks on, node-level inference errors thrown) on a copy — what ONNX's
// Python `check_model(full_check=True)` does. A model that fails is a BiasGuard bug, never a file.
#include <onnx/onnx_pb.h>

#include <string>

namespace bg {

// Throws bg::Error(InvalidModel) naming `outputPath` (the file that is therefore not written) and
// what the checker said.
void checkModelFully(const onnx::ModelProto& model, const std::string& outputPath);

} // namespace bg
