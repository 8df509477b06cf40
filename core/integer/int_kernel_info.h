#pragma once
// What the integer kernels do on this CPU, for `biasguard-cli --version` and the GUI's About box:
// the oneDNN version and the ISA it runs (after any ONEDNN_MAX_CPU_ISA cap), and which kernel path
// each setting of QUANT_SPEC §3 takes, so a user can see why a run is slow.
#include "integer/int_tensor.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bg {

struct IntKernelInfo {
    std::string onednnVersion;  // "2.6.3"
    std::string isa;            // oneDNN's effective ISA, e.g. "avx2", "avx512_core_vnni"
    bool vnni = false;
    // (weight bits, activation bits) of every setting, by the path its full-range codes take.
    // The reference path is taken only when a channel's sums could leave int32 (data dependent).
    std::map<IntKernelPath, std::vector<std::pair<int, int>>> settingsByPath;
};

IntKernelInfo intKernelInfo();

// The lines `biasguard-cli --version` prints after its own version.
std::vector<std::string> describeIntKernelInfo(const IntKernelInfo& info);

} // namespace bg
