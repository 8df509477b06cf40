#pragma once
// Outputs are written to a temporary file beside the target and renamed over it, so a reader never
// sees half a file and a failed write never destroys what was there.
#include <cstdint>
#include <string>

namespace bg {

// Throws bg::Error(WriteFailed) naming `path` and the OS error.
void writeFileAtomically(const std::string& path, const std::string& bytes);

// Reads a whole file; throws bg::Error(FileNotFound / FileUnreadable) naming `path`.
std::string readWholeFile(const std::string& path, int64_t maxBytes = -1);

} // namespace bg
