#pragma once
// Outputs are written to a temporary file beside the target and renamed over it, so a reader never
// sees half a file and a failed write never destroys what was there. While it exists the temporary
// file is registered with interrupt_cleanup.h, so an interrupted run does not leave it behind.

#include <string>

namespace bg {

// Throws bg::Error(WriteFailed) naming `path` and the OS error.
void writeFileAtomically(const std::string& path, const std::string& bytes);

} // namespace bg
