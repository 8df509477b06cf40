#include "runtime/allocator_tuning.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bg {

namespace {
constexpr int kTensorMmapThreshold = 12 << 20;
} // namespace

void tuneAllocatorForTensors()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        // Tensors up to 12 MiB come from the heap and are reused; bigger ones are mmap'ed (returned
        // to the kernel when freed). Setting it also stops glibc's dynamic threshold, hence the
        // explicit trim threshold: at most 256 MiB of free heap top is kept. 12, not glibc's
        // largest 32: the detector's few 13 MB oneDNN buffers (a 24-channel 320x320 map padded to
        // 32 channels) fragmented the heap, peak RSS 121 MB against 105 MB, at the same speed
        // (2-core AVX-512 EPYC; 1 MiB: 85 MB but 2.6 times slower, from the page faults).
        mallopt(M_MMAP_THRESHOLD, kTensorMmapThreshold);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
#endif
}

namespace {
std::mutex reuseMutex;
int reuseScopes = 0;  // under reuseMutex
} // namespace

LargeTensorReuseScope::LargeTensorReuseScope()
{
    tuneAllocatorForTensors();
#if defined(__GLIBC__)
    const std::lock_guard<std::mutex> lock(reuseMutex);
    if (reuseScopes++ == 0)
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

LargeTensorReuseScope::~LargeTensorReuseScope()
{
#if defined(__GLIBC__)
    const std::lock_guard<std::mutex> lock(reuseMutex);
    if (--reuseScopes == 0) {
        mallopt(M_MMAP_THRESHOLD, kTensorMmapThreshold);
        malloc_trim(0);
    }
#endif
}

} // namespace bg
