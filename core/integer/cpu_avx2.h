#pragma once
// The integer pipeline's AVX2 loops (the activation codec, the exact requantization): compiled with
// a target attribute where the compiler has one (GCC/Clang on x86-64), run where the CPU has AVX2,
// the SSE2 loops (the same bits) elsewhere. Never assumed from the build machine: one binary serves
// AVX2-only and AVX-512 CPUs alike.
#if defined(__x86_64__) && defined(__GNUC__)
#define BG_AVX2_LOOPS 1
#else
#define BG_AVX2_LOOPS 0
#endif

namespace bg {

// Whether this CPU runs AVX2 (asked once); false where BG_AVX2_LOOPS is 0.
inline bool cpuHasAvx2()
{
#if BG_AVX2_LOOPS
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
#else
    return false;
#endif
}

} // namespace bg
