#pragma once
// Reads the bytes of an ONNX tensor stored outside the model (data_location = EXTERNAL). The
// location must stay inside the model's folder: absolute paths, ".." escapes and symlinks that
// lead elsewhere are refused, because a model file must not be able to read arbitrary files.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

namespace bg {

// `expectedBytes` is the size the tensor's dims and type require; the stored length must match.
// Throws bg::Error(ExternalData) naming `subject`.
std::string readExternalData(const onnx::TensorProto& proto, const std::string& baseDir, int64_t expectedBytes,
                             const std::string& subject);

} // namespace bg
