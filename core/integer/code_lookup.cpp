#include "integer/code_lookup.h"

#include "integer/cpu_avx2.h"

#if BG_AVX2_LOOPS
#include <immintrin.h>
#endif

namespace bg {

void lookupCodesPlain(const uint8_t* codes, int64_t n, const uint8_t* __restrict table, uint8_t* out)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = table[codes[i]];
}

#if BG_AVX2_LOOPS
namespace {

__attribute__((target("avx2"))) int64_t lookupCodesAvx2(const uint8_t* codes, int64_t n, const uint8_t* table,
                                                        uint8_t* out)
{
    __m256i rows[16];
    for (int h = 0; h < 16; ++h)
        rows[h] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table + 16 * h)));
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + i));
        const __m256i lo = _mm256_and_si256(x, nibble);
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
        __m256i r = _mm256_shuffle_epi8(rows[0], lo);
        for (int h = 1; h < 16; ++h)
            r = _mm256_blendv_epi8(r, _mm256_shuffle_epi8(rows[h], lo),
                                   _mm256_cmpeq_epi8(hi, _mm256_set1_epi8(static_cast<char>(h))));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), r);
    }
    return i;
}

} // namespace
#endif

void lookupCodes(const uint8_t* codes, int64_t n, const uint8_t* table, uint8_t* out)
{
    int64_t done = 0;
#if BG_AVX2_LOOPS
    if (cpuHasAvx2())
        done = lookupCodesAvx2(codes, n, table, out);
#endif
    lookupCodesPlain(codes + done, n - done, table, out + done);
}

} // namespace bg
