#include "io/resource_limits.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace bg {

namespace {

// cgroup v2's memory.max ("max" or a byte count); 0 when absent or unlimited.
int64_t cgroupMemoryMax()
{
    std::ifstream in("/sys/fs/cgroup/memory.max");
    std::string text;
    if (!(in >> text) || text == "max")
        return 0;
    try {
        return static_cast<int64_t>(std::stoll(text));
    } catch (...) {
        return 0;
    }
}

} // namespace

int64_t machineMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    int64_t physical = pages > 0 && pageSize > 0 ? static_cast<int64_t>(pages) * pageSize : 0;
    const int64_t cgroup = cgroupMemoryMax();
    if (cgroup > 0 && (physical == 0 || cgroup < physical))
        physical = cgroup;
    return physical;
}

int64_t defaultMemoryLimitBytes()
{
    static const int64_t limit = [] {
        const int64_t machine = machineMemoryBytes();
        return machine > 0 ? static_cast<int64_t>(static_cast<double>(machine) * kDefaultMemoryFraction)
                           : int64_t{4} << 30;
    }();
    return limit;
}

int64_t ResourceLimits::memoryLimit() const
{
    return maxMemoryBytes > 0 ? maxMemoryBytes : defaultMemoryLimitBytes();
}

std::string formatBytes(int64_t bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < std::size(units)) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

} // namespace bg
