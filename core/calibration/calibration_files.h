#pragma once
// Listing the files of a calibration folder in natural order ("s2" before "s10"), so that sample
// numbers match what a person sees in a file manager.
#include <string>
#include <vector>

namespace bg {

// a < b comparing runs of digits by value and everything else byte by byte.
bool naturalLess(const std::string& a, const std::string& b);

// Full paths of DIR's entries whose file name starts with `prefix` and ends with `suffix`
// (directories when `directories` is set, else regular files), naturally sorted by file name.
std::vector<std::string> listNaturally(const std::string& dir, const std::string& prefix, const std::string& suffix,
                                       bool directories);

} // namespace bg
