#pragma once
// Single-tensor files: ONNX TensorProto (.pb, the ONNX test-data layout) and NumPy (.npy).
#include "model/tensor.h"

#include <string>

namespace bg {

struct NamedTensor {
    std::string name;  // TensorProto.name; empty when unset (and for .npy)
    Tensor tensor;
};

NamedTensor readTensorProtoFile(const std::string& path, int64_t maxBytes = int64_t{2} << 30);
// The same from the file's bytes already in memory; `path` names it in messages and anchors
// external data (the fuzz targets and readTensorProtoFile share this).
NamedTensor tensorProtoFromBytes(const std::string& bytes, const std::string& path,
                                 int64_t maxBytes = int64_t{2} << 30);
// Written atomically (temporary file + rename). Float tensors are written as FLOAT, int64 as the
// tensor's elemType when it is an integer type, else INT64.
void writeTensorProtoFile(const std::string& path, const std::string& name, const Tensor& tensor);

// .npy v1/v2/v3, little-endian f4/f8/f2/i1/i2/i4/i8/u1/u2/u4/b1, C order (Fortran order refused).
Tensor readNpyFile(const std::string& path, int64_t maxBytes = int64_t{2} << 30);
Tensor npyFromBytes(const std::string& bytes, const std::string& path, int64_t maxBytes = int64_t{2} << 30);
void writeNpyFile(const std::string& path, const Tensor& tensor);

} // namespace bg
