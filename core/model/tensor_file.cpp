#include "model/tensor_file.h"

#include "io/atomic_file.h"
#include "io/error.h"
#include "io/file_reader.h"
#include "model/half_float.h"
#include "model/proto_tensor.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <filesystem>
#include <limits>

namespace bg {

namespace {

// Files may legitimately be larger than the decoded tensor (varint-coded int32_data), so the file
// limit is a multiple of the tensor limit.
int64_t fileLimit(int64_t maxBytes)
{
    if (maxBytes > (std::numeric_limits<int64_t>::max() - (int64_t{1} << 20)) / 2)
        return -1;
    return 2 * maxBytes + (int64_t{1} << 20);
}

std::string readWithLimit(const std::string& path, int64_t maxBytes)
{
    try {
        return readWholeFile(path, fileLimit(maxBytes));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorCode::FileUnreadable, path, e.what());
    }
}

bool isIntegerType(int32_t t)
{
    return tensorProtoElemSize(t) != 0 && !isFloatElemType(t);
}

template <typename T>
void appendLE(std::string& out, T v)
{
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

} // namespace

NamedTensor readTensorProtoFile(const std::string& path, int64_t maxBytes)
{
    return tensorProtoFromBytes(readWithLimit(path, maxBytes), path, maxBytes);
}

NamedTensor tensorProtoFromBytes(const std::string& bytes, const std::string& path, int64_t maxBytes)
{
    if (bytes.empty())
        throw Error(ErrorCode::NotOnnx, path, "the file is empty (0 bytes), not a tensor");
    if (bytes.size() > static_cast<size_t>(INT_MAX))
        throw Error(ErrorCode::TensorTooLarge, path, "the file is over 2 GB, which protobuf cannot read");
    try {
        onnx::TensorProto proto;
        if (!proto.ParseFromString(bytes))
            throw Error(ErrorCode::NotOnnx, path, "not an ONNX TensorProto file (or a damaged/truncated one)");
        if (proto.data_type() == onnx::TensorProto::UNDEFINED && proto.dims_size() == 0)
            throw Error(ErrorCode::NotOnnx, path, "not an ONNX TensorProto file: it has neither a type nor a shape");
        const std::filesystem::path p(path);
        TensorDecodeContext ctx{path, p.has_parent_path() ? p.parent_path().string() : ".", maxBytes};
        return NamedTensor{proto.name(), tensorFromProto(proto, ctx)};
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::TensorTooLarge, path, "out of memory while reading the tensor");
    } catch (const std::exception& e) {
        throw Error(ErrorCode::NotOnnx, path, std::string("cannot read the tensor: ") + e.what());
    }
}

void writeTensorProtoFile(const std::string& path, const std::string& name, const Tensor& tensor)
{
    onnx::TensorProto proto;
    if (!name.empty())
        proto.set_name(name);
    for (int64_t d : tensor.shape())
        proto.add_dims(d);
    std::string raw;
    if (tensor.isFloat()) {
        proto.set_data_type(onnx::TensorProto::FLOAT);
        raw.reserve(static_cast<size_t>(tensor.numel()) * 4);
        for (float v : tensor.floats())
            appendLE(raw, v);
    } else {
        const int32_t type = isIntegerType(tensor.elemType()) ? tensor.elemType() : int32_t{onnx::TensorProto::INT64};
        proto.set_data_type(type);
        raw.reserve(static_cast<size_t>(tensor.numel() * tensorProtoElemSize(type)));
        for (int64_t v : tensor.ints()) {
            switch (type) {
            case onnx::TensorProto::UINT8: appendLE(raw, static_cast<uint8_t>(v)); break;
            case onnx::TensorProto::INT8: appendLE(raw, static_cast<int8_t>(v)); break;
            case onnx::TensorProto::BOOL: appendLE(raw, static_cast<uint8_t>(v != 0)); break;
            case onnx::TensorProto::UINT16: appendLE(raw, static_cast<uint16_t>(v)); break;
            case onnx::TensorProto::INT16: appendLE(raw, static_cast<int16_t>(v)); break;
            case onnx::TensorProto::INT32: appendLE(raw, static_cast<int32_t>(v)); break;
            case onnx::TensorProto::UINT32: appendLE(raw, static_cast<uint32_t>(v)); break;
            case onnx::TensorProto::UINT64: appendLE(raw, static_cast<uint64_t>(v)); break;
            default: appendLE(raw, v); break;
            }
        }
    }
    proto.set_raw_data(std::move(raw));
    std::string bytes;
    if (!proto.SerializeToString(&bytes))
        throw Error(ErrorCode::WriteFailed, path, "the tensor could not be serialised (over 2 GB?)");
    writeFileAtomically(path, bytes);
}

// ---- .npy ---------------------------------------------------------------------------------------

namespace {

struct NpyType {
    const char* code;  // without the byte-order character
    int32_t onnxType;
    int64_t size;
};

constexpr NpyType kNpyTypes[] = {
    {"f4", onnx::TensorProto::FLOAT, 4},   {"f8", onnx::TensorProto::DOUBLE, 8},
    {"f2", onnx::TensorProto::FLOAT16, 2}, {"i1", onnx::TensorProto::INT8, 1},
    {"i2", onnx::TensorProto::INT16, 2},   {"i4", onnx::TensorProto::INT32, 4},
    {"i8", onnx::TensorProto::INT64, 8},   {"u1", onnx::TensorProto::UINT8, 1},
    {"u2", onnx::TensorProto::UINT16, 2},  {"u4", onnx::TensorProto::UINT32, 4},
    {"u8", onnx::TensorProto::UINT64, 8},  {"b1", onnx::TensorProto::BOOL, 1},
};

// Value of `key` in the header dict: the text after "'key':" up to the matching delimiter.
std::string headerValue(const std::string& header, const std::string& key, const std::string& path)
{
    size_t pos = header.find("'" + key + "'");
    if (pos == std::string::npos)
        pos = header.find("\"" + key + "\"");
    if (pos == std::string::npos)
        throw Error(ErrorCode::NotOnnx, path, "the .npy header has no '" + key + "' entry");
    pos = header.find(':', pos);
    if (pos == std::string::npos)
        throw Error(ErrorCode::NotOnnx, path, "the .npy header is malformed near '" + key + "'");
    ++pos;
    while (pos < header.size() && std::isspace(static_cast<unsigned char>(header[pos])))
        ++pos;
    if (pos >= header.size())
        throw Error(ErrorCode::NotOnnx, path, "the .npy header is malformed near '" + key + "'");
    const char open = header[pos];
    if (open == '\'' || open == '"') {
        const size_t end = header.find(open, pos + 1);
        if (end == std::string::npos)
            throw Error(ErrorCode::NotOnnx, path, "the .npy header has an unterminated string");
        return header.substr(pos + 1, end - pos - 1);
    }
    if (open == '(') {
        const size_t end = header.find(')', pos);
        if (end == std::string::npos)
            throw Error(ErrorCode::NotOnnx, path, "the .npy header has an unterminated shape");
        return header.substr(pos + 1, end - pos - 1);
    }
    size_t end = pos;
    while (end < header.size() && std::isalnum(static_cast<unsigned char>(header[end])))
        ++end;
    return header.substr(pos, end - pos);
}

Shape parseNpyShape(const std::string& text, const std::string& path)
{
    Shape shape;
    size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (std::isspace(static_cast<unsigned char>(text[pos])) || text[pos] == ','))
            ++pos;
        if (pos >= text.size())
            break;
        if (!std::isdigit(static_cast<unsigned char>(text[pos])))
            throw Error(ErrorCode::NotOnnx, path, "the .npy shape '(" + text + ")' is not a tuple of sizes");
        int64_t v = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            const int digit = text[pos] - '0';
            if (v > (std::numeric_limits<int64_t>::max() - digit) / 10)
                throw Error(ErrorCode::TensorTooLarge, path, "the .npy shape '(" + text + ")' has a dimension too large");
            v = v * 10 + digit;
            ++pos;
        }
        // numpy writes "3L" in files from Python 2.
        if (pos < text.size() && (text[pos] == 'L' || text[pos] == 'l'))
            ++pos;
        shape.push_back(v);
    }
    return shape;
}

} // namespace

Tensor readNpyFile(const std::string& path, int64_t maxBytes)
{
    return npyFromBytes(readWithLimit(path, maxBytes), path, maxBytes);
}

Tensor npyFromBytes(const std::string& bytes, const std::string& path, int64_t maxBytes)
{
    static const char magic[] = "\x93NUMPY";
    if (bytes.size() < 10 || bytes.compare(0, 6, magic, 6) != 0)
        throw Error(ErrorCode::NotOnnx, path, "not a NumPy .npy file (the magic bytes are missing)");
    const auto major = static_cast<uint8_t>(bytes[6]);
    size_t headerLen = 0;
    size_t headerStart = 0;
    if (major == 1) {
        headerLen = static_cast<uint8_t>(bytes[8]) | (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw Error(ErrorCode::Truncated, path, "the .npy file ends inside its header");
        headerLen = 0;
        for (int k = 3; k >= 0; --k)
            headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[8 + static_cast<size_t>(k)]);
        headerStart = 12;
    } else {
        throw Error(ErrorCode::UnsupportedType, path,
                    ".npy format version " + std::to_string(major) + " is not supported (only 1, 2 and 3)");
    }
    if (headerLen > bytes.size() - headerStart)
        throw Error(ErrorCode::Truncated, path, "the .npy file ends inside its header");
    const std::string header = bytes.substr(headerStart, headerLen);
    const size_t dataStart = headerStart + headerLen;

    const std::string descr = headerValue(header, "descr", path);
    const std::string fortran = headerValue(header, "fortran_order", path);
    const Shape shape = parseNpyShape(headerValue(header, "shape", path), path);

    if (fortran == "True")
        throw Error(ErrorCode::UnsupportedType, path,
                    "the array is stored in Fortran (column-major) order; save it with np.ascontiguousarray first");
    if (fortran != "False")
        throw Error(ErrorCode::NotOnnx, path, "the .npy header has fortran_order '" + fortran + "'");
    if (descr.size() < 3)
        throw Error(ErrorCode::UnsupportedType, path, "unsupported .npy dtype '" + descr + "'");
    const char order = descr[0];
    const std::string code = descr.substr(1);
    const NpyType* type = nullptr;
    for (const NpyType& t : kNpyTypes)
        if (code == t.code)
            type = &t;
    if (!type)
        throw Error(ErrorCode::UnsupportedType, path,
                    "unsupported .npy dtype '" + descr + "'; supported are f2/f4/f8, i1/i2/i4/i8, u1/u2/u4/u8 and b1");
    if (order == '>' && type->size > 1)
        throw Error(ErrorCode::UnsupportedType, path,
                    "the array is big-endian ('" + descr + "'); convert it with arr.astype(arr.dtype.newbyteorder('<'))");
    if (order != '<' && order != '|' && order != '=' && order != '>')
        throw Error(ErrorCode::UnsupportedType, path, "unsupported .npy dtype '" + descr + "'");

    int64_t numel = 0;
    try {
        numel = shapeNumel(shape);
    } catch (const Error&) {
        throw Error(ErrorCode::TensorTooLarge, path, "the .npy shape " + shapeToString(shape) + " is too large");
    }
    const int64_t decoded = isFloatElemType(type->onnxType) ? 4 : 8;
    if (numel > maxBytes / std::max(decoded, type->size))
        throw Error(ErrorCode::TensorTooLarge, path,
                    "shape " + shapeToString(shape) + " is over the limit of " + std::to_string(maxBytes) + " bytes");
    const int64_t dataBytes = numel * type->size;
    const auto have = static_cast<int64_t>(bytes.size() - dataStart);
    if (have < dataBytes)
        throw Error(ErrorCode::Truncated, path,
                    "the header declares shape " + shapeToString(shape) + " of " + descr + " (" + std::to_string(dataBytes)
                        + " bytes) but only " + std::to_string(have) + " bytes of data follow");
    if (have > dataBytes)
        throw Error(ErrorCode::ShapeMismatch, path,
                    "the header declares " + std::to_string(dataBytes) + " bytes of data but " + std::to_string(have)
                        + " follow");

    // Reuse the TensorProto decoder for the element conversions: the data is exactly raw_data.
    onnx::TensorProto proto;
    proto.set_data_type(type->onnxType);
    for (int64_t d : shape)
        proto.add_dims(d);
    proto.set_raw_data(bytes.data() + dataStart, static_cast<size_t>(dataBytes));
    return tensorFromProto(proto, TensorDecodeContext{path, ".", maxBytes});
}

void writeNpyFile(const std::string& path, const Tensor& tensor)
{
    std::string dict = std::string("{'descr': '") + (tensor.isFloat() ? "<f4" : "<i8")
        + "', 'fortran_order': False, 'shape': (";
    for (int k = 0; k < tensor.rank(); ++k)
        dict += (k ? ", " : "") + std::to_string(tensor.dim(k));
    if (tensor.rank() == 1)
        dict += ',';  // "(4,)" as Python writes a 1-tuple
    dict += "), }";
    // Version 1 header, padded with spaces so that the data starts on a 64-byte boundary.
    size_t total = 10 + dict.size() + 1;
    const size_t padded = (total + 63) / 64 * 64;
    dict.append(padded - total, ' ');
    dict += '\n';
    if (dict.size() > 65535)
        throw Error(ErrorCode::WriteFailed, path, "the .npy header would be too long");
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(dict.size() & 0xFF);
    out += static_cast<char>((dict.size() >> 8) & 0xFF);
    out += dict;
    if (tensor.isFloat()) {
        for (float v : tensor.floats())
            appendLE(out, v);
    } else {
        for (int64_t v : tensor.ints())
            appendLE(out, v);
    }
    writeFileAtomically(path, out);
}

} // namespace bg
