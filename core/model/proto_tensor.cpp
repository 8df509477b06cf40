#include "model/proto_tensor.h"

#include "io/error.h"
#include "model/external_data.h"
#include "model/half_float.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string_view>

namespace bg {

// isFloatElemType (model/tensor.h) spells these as numbers so that it needs no protobuf header.
static_assert(onnx::TensorProto::FLOAT == 1 && onnx::TensorProto::FLOAT16 == 10
              && onnx::TensorProto::DOUBLE == 11 && onnx::TensorProto::BFLOAT16 == 16);

int64_t tensorProtoElemSize(int32_t dataType)
{
    switch (dataType) {
    case onnx::TensorProto::FLOAT: return 4;
    case onnx::TensorProto::UINT8: return 1;
    case onnx::TensorProto::INT8: return 1;
    case onnx::TensorProto::UINT16: return 2;
    case onnx::TensorProto::INT16: return 2;
    case onnx::TensorProto::INT32: return 4;
    case onnx::TensorProto::INT64: return 8;
    case onnx::TensorProto::BOOL: return 1;
    case onnx::TensorProto::FLOAT16: return 2;
    case onnx::TensorProto::DOUBLE: return 8;
    case onnx::TensorProto::UINT32: return 4;
    case onnx::TensorProto::UINT64: return 8;
    case onnx::TensorProto::BFLOAT16: return 2;
    default: return 0;
    }
}

const char* tensorProtoTypeName(int32_t dataType)
{
    switch (dataType) {
    case onnx::TensorProto::UNDEFINED: return "undefined";
    case onnx::TensorProto::FLOAT: return "float32";
    case onnx::TensorProto::UINT8: return "uint8";
    case onnx::TensorProto::INT8: return "int8";
    case onnx::TensorProto::UINT16: return "uint16";
    case onnx::TensorProto::INT16: return "int16";
    case onnx::TensorProto::INT32: return "int32";
    case onnx::TensorProto::INT64: return "int64";
    case onnx::TensorProto::STRING: return "string";
    case onnx::TensorProto::BOOL: return "bool";
    case onnx::TensorProto::FLOAT16: return "float16";
    case onnx::TensorProto::DOUBLE: return "float64";
    case onnx::TensorProto::UINT32: return "uint32";
    case onnx::TensorProto::UINT64: return "uint64";
    case onnx::TensorProto::COMPLEX64: return "complex64";
    case onnx::TensorProto::COMPLEX128: return "complex128";
    case onnx::TensorProto::BFLOAT16: return "bfloat16";
    default: return "unknown";
    }
}

namespace {

template <typename T>
T loadLE(const char* p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));  // the hosts we build for are little endian, like raw_data
    return v;
}

// One element of raw_data as float (floating types) or int64 (the rest).
float rawFloat(int32_t type, const char* p)
{
    switch (type) {
    case onnx::TensorProto::FLOAT: return loadLE<float>(p);
    case onnx::TensorProto::DOUBLE: return static_cast<float>(loadLE<double>(p));
    case onnx::TensorProto::FLOAT16: return halfToFloat(loadLE<uint16_t>(p));
    default: return bfloat16ToFloat(loadLE<uint16_t>(p));
    }
}

int64_t rawInt(int32_t type, const char* p)
{
    switch (type) {
    case onnx::TensorProto::UINT8: return loadLE<uint8_t>(p);
    case onnx::TensorProto::INT8: return loadLE<int8_t>(p);
    case onnx::TensorProto::UINT16: return loadLE<uint16_t>(p);
    case onnx::TensorProto::INT16: return loadLE<int16_t>(p);
    case onnx::TensorProto::INT32: return loadLE<int32_t>(p);
    case onnx::TensorProto::BOOL: return loadLE<uint8_t>(p) != 0 ? 1 : 0;
    case onnx::TensorProto::UINT32: return loadLE<uint32_t>(p);
    case onnx::TensorProto::UINT64: return static_cast<int64_t>(loadLE<uint64_t>(p));
    default: return loadLE<int64_t>(p);
    }
}

// int32_data carries the narrow integer types, bool, and the bit patterns of float16/bfloat16.
float int32FieldFloat(int32_t type, int32_t v)
{
    const auto bits = static_cast<uint16_t>(static_cast<uint32_t>(v) & 0xFFFFu);
    return type == onnx::TensorProto::FLOAT16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
}

int64_t int32FieldInt(int32_t type, int32_t v)
{
    switch (type) {
    case onnx::TensorProto::BOOL: return v != 0 ? 1 : 0;
    case onnx::TensorProto::UINT8: return static_cast<uint8_t>(v);
    case onnx::TensorProto::UINT16: return static_cast<uint16_t>(v);
    case onnx::TensorProto::INT8: return static_cast<int8_t>(v);
    case onnx::TensorProto::INT16: return static_cast<int16_t>(v);
    default: return v;
    }
}

// How many values the typed field that carries `type` holds.
int64_t typedFieldCount(const onnx::TensorProto& p, int32_t type)
{
    switch (type) {
    case onnx::TensorProto::FLOAT: return p.float_data_size();
    case onnx::TensorProto::DOUBLE: return p.double_data_size();
    case onnx::TensorProto::INT64: return p.int64_data_size();
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64: return p.uint64_data_size();
    default: return p.int32_data_size();
    }
}

std::string describeTensor(const onnx::TensorProto& proto, const std::string& subject)
{
    return proto.name().empty() ? subject : subject + ": tensor '" + proto.name() + "'";
}

} // namespace

Tensor tensorFromProto(const onnx::TensorProto& proto, const TensorDecodeContext& ctx)
{
    const std::string subject = describeTensor(proto, ctx.subject);
    const int32_t type = proto.data_type();
    if (type == onnx::TensorProto::UNDEFINED)
        throw Error(ErrorCode::InvalidModel, subject, "the tensor has no data type");
    if (type == onnx::TensorProto::STRING || type == onnx::TensorProto::COMPLEX64
        || type == onnx::TensorProto::COMPLEX128 || tensorProtoElemSize(type) == 0)
        throw Error(ErrorCode::UnsupportedType, subject,
                    std::string("tensors of type ") + tensorProtoTypeName(type) + " (" + std::to_string(type)
                        + ") are not supported; only numeric and bool tensors are");
    if (proto.has_segment())
        throw Error(ErrorCode::UnsupportedType, subject, "segmented tensors are not supported");

    Shape shape;
    for (int64_t d : proto.dims()) {
        if (d < 0)
            throw Error(ErrorCode::InvalidModel, subject, "negative dimension " + std::to_string(d) + " in its shape");
        shape.push_back(d);
    }
    int64_t numel = 0;
    try {
        numel = shapeNumel(shape);
    } catch (const Error&) {
        throw Error(ErrorCode::TensorTooLarge, subject,
                    "declared shape " + shapeToString(shape) + " has more elements than can be counted");
    }
    const bool isFloat = isFloatElemType(type);
    const int64_t storedSize = tensorProtoElemSize(type);
    const int64_t decodedSize = isFloat ? 4 : 8;
    const int64_t maxElems = ctx.maxTensorBytes / std::max(storedSize, decodedSize);
    if (numel > maxElems)
        throw Error(ErrorCode::TensorTooLarge, subject,
                    "declared shape " + shapeToString(shape) + " (" + std::to_string(numel) + " elements of "
                        + tensorProtoTypeName(type) + ") is over the limit of " + std::to_string(ctx.maxTensorBytes)
                        + " bytes per tensor");
    const int64_t rawBytes = numel * storedSize;  // cannot overflow: numel <= limit / size

    std::string external;
    std::string_view raw;
    bool haveRaw = false;
    if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
        external = readExternalData(proto, ctx.baseDir, rawBytes, subject);
        raw = external;
        haveRaw = true;
    } else if (proto.has_raw_data()) {
        raw = proto.raw_data();
        haveRaw = true;
    }

    const auto mismatch = [&](int64_t have, const char* unit) {
        return Error(ErrorCode::InvalidModel, subject,
                     "declared shape " + shapeToString(shape) + " needs " + std::to_string(numel) + " elements ("
                         + std::to_string(rawBytes) + " bytes of " + tensorProtoTypeName(type) + ") but the data holds "
                         + std::to_string(have) + " " + unit);
    };
    const auto n = static_cast<size_t>(numel);
    if (haveRaw) {
        if (static_cast<int64_t>(raw.size()) != rawBytes)
            throw mismatch(static_cast<int64_t>(raw.size()), "bytes");
    } else if (const int64_t count = typedFieldCount(proto, type); count != numel) {
        throw mismatch(count, "values");
    }

    Tensor result;
    if (isFloat) {
        std::vector<float> values(n);
        if (haveRaw) {
            for (size_t k = 0; k < n; ++k)
                values[k] = rawFloat(type, raw.data() + k * static_cast<size_t>(storedSize));
        } else if (type == onnx::TensorProto::FLOAT) {
            for (size_t k = 0; k < n; ++k)
                values[k] = proto.float_data(static_cast<int>(k));
        } else if (type == onnx::TensorProto::DOUBLE) {
            for (size_t k = 0; k < n; ++k)
                values[k] = static_cast<float>(proto.double_data(static_cast<int>(k)));
        } else {
            for (size_t k = 0; k < n; ++k)
                values[k] = int32FieldFloat(type, proto.int32_data(static_cast<int>(k)));
        }
        result = Tensor(std::move(shape), std::move(values));
    } else {
        std::vector<int64_t> values(n);
        if (haveRaw) {
            for (size_t k = 0; k < n; ++k)
                values[k] = rawInt(type, raw.data() + k * static_cast<size_t>(storedSize));
        } else if (type == onnx::TensorProto::INT64) {
            for (size_t k = 0; k < n; ++k)
                values[k] = proto.int64_data(static_cast<int>(k));
        } else if (type == onnx::TensorProto::UINT32 || type == onnx::TensorProto::UINT64) {
            for (size_t k = 0; k < n; ++k)
                values[k] = static_cast<int64_t>(proto.uint64_data(static_cast<int>(k)));
        } else {
            for (size_t k = 0; k < n; ++k)
                values[k] = int32FieldInt(type, proto.int32_data(static_cast<int>(k)));
        }
        result = Tensor(std::move(shape), std::move(values));
    }
    result.setElemType(type);
    return result;
}

} // namespace bg
