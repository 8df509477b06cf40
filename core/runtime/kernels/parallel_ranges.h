#pragma once
// Element-wise loops over big tensors, split across the OpenMP team. ONNX Runtime runs its
// element-wise operators on every thread; on the PaddleOCR detector these loops (Add, Mul, Div,
// Clip over 320x320 maps) are a third of a float run. Each element is computed on its own, so the
// result does not depend on the split or the thread count: bit-identical to the serial loop.
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace bg {

// Work (items x cost per item) below which a loop stays on the calling thread: forking the team
// and the closing barrier cost more than they save, and on a machine shared with other busy
// processes a barrier can wait a whole scheduler slice (DnnlThreadScope has the same reasoning).
constexpr int64_t kParallelElements = int64_t(1) << 20;
// kParallelElements, or BIASGUARD_PARALLEL_ELEMENTS when set (read once): the benchmark's knob.
int64_t parallelElements();
// The environment variable `name` as a plain decimal integer >= minimum, else `fallback`: the
// benchmark knobs of the thread thresholds (here and in dnnl_threads.cpp).
int64_t envInt64(const char* name, int64_t fallback, int64_t minimum);

// Calls f(begin, end) over [0, n) in one contiguous chunk per thread. `cost` weighs an item (the
// row length when an item is a row). f must not throw.
template <class F> void parallelRanges(int64_t n, int64_t cost, F&& f)
{
    const int64_t work = n * std::max<int64_t>(cost, 1);
    const int64_t byWork = work / parallelElements();
    const int threads = static_cast<int>(std::min<int64_t>({int64_t(omp_get_max_threads()), byWork, n}));
    if (threads <= 1 || omp_in_parallel()) {
        f(int64_t{0}, n);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        const int64_t t = omp_get_thread_num(), count = omp_get_num_threads();
        f(n * t / count, n * (t + 1) / count);
    }
}

} // namespace bg
