// The fuzz targets "tensor_proto" and "npy": the single-tensor file readers.
#include "fuzz_targets.h"

#include "io/error.h"
#include "model/tensor_file.h"

namespace bgfuzz {

void fuzzTensorProto(const uint8_t* data, size_t size)
{
    try {
        bg::tensorProtoFromBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pb", int64_t{1} << 20);
    } catch (const bg::Error&) {
    }
}

void fuzzNpy(const uint8_t* data, size_t size)
{
    try {
        bg::npyFromBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy", int64_t{1} << 20);
    } catch (const bg::Error&) {
    }
}

} // namespace bgfuzz
