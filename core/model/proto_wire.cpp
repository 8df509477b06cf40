#include "model/proto_wire.h"

#include <map>

namespace bg {

namespace {

// Top-level fields of onnx.ModelProto (ONNX 1.12) and their wire types (0 varint, 2 length-delimited).
const std::map<uint64_t, int>& modelFields()
{
    static const std::map<uint64_t, int> fields = {
        {1, 0},  // ir_version
        {2, 2},  // producer_name
        {3, 2},  // producer_version
        {4, 2},  // domain
        {5, 0},  // model_version
        {6, 2},  // doc_string
        {7, 2},  // graph
        {8, 2},  // opset_import
        {14, 2}, // metadata_props
        {20, 2}, // training_info
        {25, 2}, // functions
    };
    return fields;
}

enum class VarintResult { Ok, End, TooLong };

VarintResult readVarint(std::string_view bytes, size_t& pos, uint64_t& value)
{
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            return VarintResult::End;
        const auto b = static_cast<uint8_t>(bytes[pos++]);
        value |= static_cast<uint64_t>(b & 0x7Fu) << shift;
        if ((b & 0x80u) == 0)
            return VarintResult::Ok;
    }
    return VarintResult::TooLong;
}

// GraphProto.node (field 1, length-delimited) entries among the top-level fields of a graph's
// bytes. Malformed bytes end the count early: protobuf's parse reports them afterwards.
int64_t countGraphNodes(std::string_view graph)
{
    int64_t nodes = 0;
    size_t pos = 0;
    while (pos < graph.size()) {
        uint64_t tag = 0;
        if (readVarint(graph, pos, tag) != VarintResult::Ok)
            break;
        const int wireType = static_cast<int>(tag & 7u);
        uint64_t skip = 0;
        if (wireType == 0) {
            if (readVarint(graph, pos, skip) != VarintResult::Ok)
                break;
            skip = 0;
        } else if (wireType == 1) {
            skip = 8;
        } else if (wireType == 5) {
            skip = 4;
        } else if (wireType == 2) {
            if (readVarint(graph, pos, skip) != VarintResult::Ok)
                break;
        } else {
            break;
        }
        if (skip > graph.size() - pos)
            break;
        if ((tag >> 3) == 1 && wireType == 2)
            ++nodes;
        pos += static_cast<size_t>(skip);
    }
    return nodes;
}

} // namespace

WireScan scanModelProtoWire(std::string_view bytes)
{
    WireScan scan;
    auto notModel = [&](const std::string& why) {
        scan.verdict = WireScan::Verdict::NotModel;
        scan.detail = why;
        return scan;
    };
    // Truncation is only claimed for bytes that began like a real model: exporters write
    // ir_version (field 1) first, and every field before the cut has a ModelProto number and type.
    bool sawKnownField = false;
    auto cut = [&](const std::string& why) {
        if (!sawKnownField)
            return notModel("the data ends inside its first field");
        scan.verdict = WireScan::Verdict::Truncated;
        scan.detail = why;
        return scan;
    };

    size_t pos = 0;
    while (pos < bytes.size()) {
        const size_t fieldStart = pos;
        uint64_t tag = 0;
        const VarintResult tr = readVarint(bytes, pos, tag);
        if (tr == VarintResult::TooLong)
            return notModel("invalid field tag at byte " + std::to_string(fieldStart));
        if (tr == VarintResult::End)
            return cut("the file ends inside a field tag at byte " + std::to_string(fieldStart));
        const uint64_t field = tag >> 3;
        const int wireType = static_cast<int>(tag & 7u);
        if (field == 0 || wireType == 3 || wireType == 4 || wireType > 5)
            return notModel("invalid protobuf field at byte " + std::to_string(fieldStart));
        const auto known = modelFields().find(field);
        if (known != modelFields().end() && known->second != wireType)
            return notModel("field " + std::to_string(field) + " at byte " + std::to_string(fieldStart)
                            + " has the wrong type for an ONNX model");
        // Fields a newer ONNX might add are tolerated, but only after a field we know.
        if (known == modelFields().end() && (!sawKnownField || field > 100))
            return notModel("unexpected field " + std::to_string(field) + " at byte " + std::to_string(fieldStart));

        uint64_t skip = 0;
        if (wireType == 0) {
            uint64_t ignored = 0;
            const VarintResult vr = readVarint(bytes, pos, ignored);
            if (vr == VarintResult::TooLong)
                return notModel("invalid number at byte " + std::to_string(fieldStart));
            if (vr == VarintResult::End)
                return cut("the file ends inside field " + std::to_string(field));
        } else if (wireType == 1) {
            skip = 8;
        } else if (wireType == 5) {
            skip = 4;
        } else {
            const VarintResult lr = readVarint(bytes, pos, skip);
            if (lr == VarintResult::TooLong)
                return notModel("invalid length at byte " + std::to_string(fieldStart));
            if (lr == VarintResult::End)
                return cut("the file ends inside the length of field " + std::to_string(field));
        }
        if (skip > bytes.size() - pos) {
            if (known == modelFields().end())
                return notModel("unexpected field " + std::to_string(field) + " at byte "
                                + std::to_string(fieldStart));
            return cut("field " + std::to_string(field) + (field == 7 ? " (the graph)" : "") + " at byte "
                       + std::to_string(fieldStart) + " declares " + std::to_string(skip) + " bytes, only "
                       + std::to_string(bytes.size() - pos) + " remain");
        }
        if (field == 7)
            scan.graphNodes = countGraphNodes(bytes.substr(pos, static_cast<size_t>(skip)));
        pos += static_cast<size_t>(skip);
        if (known != modelFields().end())
            sawKnownField = true;
    }
    return scan;
}

} // namespace bg
