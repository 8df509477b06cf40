#include "runtime/allocator_tuning.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bg {

void tuneAllocatorForTensors()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        // 32 MiB is the largest mmap threshold glibc accepts on 64-bit; bigger tensors stay mmap'ed
        // (returned to the kernel when freed). Setting it also stops glibc's dynamic threshold,
        // hence the explicit trim threshold: at most 256 MiB of free heap top is kept.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
#endif
}

} // namespace bg
