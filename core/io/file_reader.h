#pragma once
// The one whole-file reader: the model loader, the tensor files, the JSON reader and the fix plan
// all read through it, so a missing file, a folder in its place or an oversize file is reported
// the same way everywhere.
#include "io/error.h"

#include <cstdint>
#include <string>

namespace bg {

struct FileReadOptions {
    int64_t maxBytes = -1;                              // -1: no limit
    std::string kind = "a file";                        // what the path should be ("an .onnx file"), for a folder
    ErrorCode overLimitCode = ErrorCode::TensorTooLarge;
    std::string overLimitReason;                        // empty: "file is N bytes, over the limit of M"
};

// Throws bg::Error(FileNotFound / FileUnreadable / the over-limit code) naming `path`.
std::string readWholeFile(const std::string& path, const FileReadOptions& options);
std::string readWholeFile(const std::string& path, int64_t maxBytes = -1);

} // namespace bg
