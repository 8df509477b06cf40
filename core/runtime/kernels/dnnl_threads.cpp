#include "runtime/kernels/dnnl_threads.h"

#include <omp.h>

namespace bg {

// omp_set_num_threads changes the calling thread's nthreads-var only, so concurrent runtimes on
// other threads are unaffected.
DnnlThreadScope::DnnlThreadScope(int64_t macs) : previous_(omp_get_max_threads())
{
    if (macs < kDnnlParallelMacs)
        omp_set_num_threads(1);
}

DnnlThreadScope::~DnnlThreadScope() { omp_set_num_threads(previous_); }

} // namespace bg
