#include "runtime/kernels/parallel_ranges.h"

#include <cstdlib>

namespace bg {

int64_t parallelElements()
{
    static const int64_t elements = [] {
        const char* env = std::getenv("BIASGUARD_PARALLEL_ELEMENTS");
        if (!env || !*env)
            return kParallelElements;
        char* end = nullptr;
        const long long v = std::strtoll(env, &end, 10);
        return (end && *end == '\0' && v > 0) ? static_cast<int64_t>(v) : kParallelElements;
    }();
    return elements;
}

} // namespace bg
