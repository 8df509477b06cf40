#pragma once
// onnx::TensorProto -> bg::Tensor, shared by the model loader (initializers, Constant nodes, tensor
// attributes) and the .pb tensor-file reader. Private to core/model: it includes protobuf types.
#include "model/tensor.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

namespace bg {

struct TensorDecodeContext {
    std::string subject;   // file (and tensor) named in errors
    std::string baseDir;   // folder that external data locations are relative to
    int64_t maxTensorBytes = int64_t{2} << 30;
};

// Decodes every storage form the ONNX spec allows (typed fields, raw_data, external data).
// Floating types become float32 and every integer/bool type int64; elemType keeps the original.
// The declared size is checked against the limit before anything is allocated.
// Throws bg::Error: UnsupportedType (string, complex ...), TensorTooLarge, InvalidModel
// (negative dims, element count mismatch), ExternalData.
Tensor tensorFromProto(const onnx::TensorProto& proto, const TensorDecodeContext& ctx);

// Bytes per element in raw_data for an ONNX data type; 0 when the type has no fixed size.
int64_t tensorProtoElemSize(int32_t dataType);
const char* tensorProtoTypeName(int32_t dataType);

} // namespace bg
