#include "runtime/kernels/dnnl_threads.h"

#include <omp.h>

#include <cstdlib>

namespace bg {

namespace {

// kDnnlParallelMacs, or BIASGUARD_PARALLEL_MACS when set (read once): the benchmark's knob for
// measuring where a second thread starts to pay on a given machine and load.
int64_t parallelMacs()
{
    static const int64_t macs = [] {
        const char* env = std::getenv("BIASGUARD_PARALLEL_MACS");
        if (!env || !*env)
            return kDnnlParallelMacs;
        char* end = nullptr;
        const long long v = std::strtoll(env, &end, 10);
        return (end && *end == '\0' && v >= 0) ? static_cast<int64_t>(v) : kDnnlParallelMacs;
    }();
    return macs;
}

} // namespace

// omp_set_num_threads changes the calling thread's nthreads-var only, so concurrent runtimes on
// other threads are unaffected.
DnnlThreadScope::DnnlThreadScope(int64_t macs) : previous_(omp_get_max_threads())
{
    // A zero count (reorders, weights) always runs on one thread.
    if (macs == 0 || macs < parallelMacs())
        omp_set_num_threads(1);
}

DnnlThreadScope::~DnnlThreadScope() { omp_set_num_threads(previous_); }

} // namespace bg
