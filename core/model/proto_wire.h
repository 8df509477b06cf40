#pragma once
// A look at the top level of protobuf wire format, without parsing. protobuf's ParseFromString only
// says "failed"; to tell a user whether a file is cut short (a download or copy that stopped) or is
// not an ONNX model at all, the loader walks the top-level fields itself first.
#include <cstdint>
#include <string>
#include <string_view>

namespace bg {

struct WireScan {
    enum class Verdict {
        Ok,         // every top-level field is complete and fits a ModelProto
        Truncated,  // looks like a ModelProto, but a field runs past the end of the bytes
        NotModel,   // a field a ModelProto cannot have (wrong wire type, invalid tag)
    };
    Verdict verdict = Verdict::Ok;
    std::string detail;  // human-readable reason for Truncated / NotModel
    // GraphProto.node entries of the (last) graph field, counted without parsing them, so that a
    // graph over the node limit is refused before protobuf allocates a message per node.
    int64_t graphNodes = 0;
};

WireScan scanModelProtoWire(std::string_view bytes);

} // namespace bg
