#pragma once
// How much a model may ask for. A model file is untrusted input: its declared sizes (a 10^12-element
// initializer with 4 bytes of data, a million-node chain, a Reshape to 2^31 elements) are checked
// against these limits before anything of that size is allocated, and the calibration and the
// comparison stop with a message when their estimated memory would pass maxMemoryBytes instead of
// being killed by the kernel's OOM killer. One struct so that the loader, the runtimes, the
// calibrator and the comparison agree; README "Limits" lists the defaults.
#include <cstdint>
#include <string>

namespace bg {

struct ResourceLimits {
    // One stored tensor (initializer, Constant, tensor attribute, external data, .pb/.npy input), in
    // decoded bytes.
    int64_t maxTensorBytes = int64_t{2} << 30;
    // One tensor a kernel computes, or that the model declares or shape inference derives for an
    // input or activation: 2^28 elements (1 GiB of float32).
    int64_t maxTensorElements = int64_t{1} << 28;
    // Nodes of the graph (counted in the file before protobuf parses it). The largest real models
    // BiasGuard meets have a few thousand.
    int64_t maxNodes = 200000;
    // What one calibration or comparison may hold at once (estimated from the static shapes before
    // it starts, then the live tensors while it runs). 0 = defaultMemoryLimitBytes().
    int64_t maxMemoryBytes = 0;

    // maxMemoryBytes, with 0 resolved to the machine's default.
    int64_t memoryLimit() const;
};

// The machine's memory: physical memory (sysconf), or the cgroup's memory.max when that is lower
// (a container). 0 when neither can be read.
int64_t machineMemoryBytes();
// kDefaultMemoryFraction of machineMemoryBytes(); 4 GiB when the machine's memory is unknown.
int64_t defaultMemoryLimitBytes();
inline constexpr double kDefaultMemoryFraction = 0.75;

// "1.5 GiB", for messages.
std::string formatBytes(int64_t bytes);

} // namespace bg
