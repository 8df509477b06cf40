#include "runtime/memory_guard.h"

#include "io/error.h"
#include "io/resource_limits.h"

namespace bg {

int64_t tensorBytes(const Tensor& t)
{
    return t.numel() * (t.isFloat() ? 4 : 8);
}

void MemoryGuard::add(int64_t bytes, const std::string& name)
{
    held_ += bytes;
    if (limit_ > 0 && held_ > limit_)
        throw Error(ErrorCode::OverLimit, subject_,
                    "the run would hold " + formatBytes(held_) + " of tensors with '" + name
                        + "', over the memory limit of " + formatBytes(limit_)
                        + " (ResourceLimits::maxMemoryBytes; README \"Limits\")");
}

} // namespace bg
