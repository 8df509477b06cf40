#include "runtime/kernels/parallel_ranges.h"

#include <cstdlib>

namespace bg {

int64_t envInt64(const char* name, int64_t fallback, int64_t minimum)
{
    const char* env = std::getenv(name);
    if (!env || !*env)
        return fallback;
    char* end = nullptr;
    const long long v = std::strtoll(env, &end, 10);
    return (end && *end == '\0' && v >= minimum) ? static_cast<int64_t>(v) : fallback;
}

int64_t parallelElements()
{
    static const int64_t elements = envInt64("BIASGUARD_PARALLEL_ELEMENTS", kParallelElements, 1);
    return elements;
}

} // namespace bg
