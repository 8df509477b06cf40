#include "runtime/kernels/dnnl_threads.h"

#include "runtime/kernels/parallel_ranges.h"

#include <omp.h>

namespace bg {

namespace {

// kDnnlParallelMacs, or BIASGUARD_PARALLEL_MACS when set (read once): the benchmark's knob for
// measuring where a second thread starts to pay on a given machine and load.
int64_t parallelMacs()
{
    static const int64_t macs = envInt64("BIASGUARD_PARALLEL_MACS", kDnnlParallelMacs, 0);
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
