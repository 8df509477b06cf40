#include "integer/exact_requantize_simd.h"

#include "integer/cpu_avx2.h"

#include <cstring>

#if BG_AVX2_LOOPS
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*(), which -Wmaybe-uninitialized
// reports inside the header (GCC bug 105593); -Werror would fail the build on it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace bg {

RequantizeSimd requantizeSimdAvailable()
{
#if BG_AVX2_LOOPS
    static const RequantizeSimd best = [] {
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl"))
            return RequantizeSimd::Avx512;
        return cpuHasAvx2() ? RequantizeSimd::Avx2 : RequantizeSimd::Sse2;
    }();
    return best;
#elif defined(__SSE2__)
    return RequantizeSimd::Sse2;
#else
    return RequantizeSimd::Scalar;
#endif
}

#if BG_AVX2_LOOPS
namespace {

// Four lanes: the codes as the low four bytes of the result, or false where a lane is outside the
// vector form's range (nothing computed for the group).
__attribute__((target("avx2"))) inline bool exactQuad(__m256d acc, __m256d m, __m256d pre, __m256d zpPost, __m256d vlo,
                                                      __m256d vhi, uint32_t& bytes)
{
    const __m256d absMask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d t = _mm256_add_pd(acc, pre);
    const __m256d x = _mm256_mul_pd(m, t);
    const __m256d safe = _mm256_and_pd(_mm256_and_pd(_mm256_cmp_pd(t, _mm256_set1_pd(-2147483648.0), _CMP_GE_OQ),
                                                     _mm256_cmp_pd(t, _mm256_set1_pd(2147483647.0), _CMP_LE_OQ)),
                                       _mm256_cmp_pd(_mm256_and_pd(x, absMask), _mm256_set1_pd(2147483648.0), _CMP_LT_OQ));
    if (_mm256_movemask_pd(safe) != 0xf)
        return false;
    const __m256d k = _mm256_cvtepi32_pd(_mm256_cvttpd_epi32(x));
    const __m256d f = _mm256_sub_pd(x, k);
    const __m256d r = _mm256_sub_pd(_mm256_add_pd(k, _mm256_and_pd(_mm256_cmp_pd(f, _mm256_set1_pd(0.5), _CMP_GE_OQ), one)),
                                    _mm256_and_pd(_mm256_cmp_pd(f, _mm256_set1_pd(-0.5), _CMP_LE_OQ), one));
    const __m256d v = _mm256_min_pd(_mm256_max_pd(_mm256_add_pd(zpPost, r), vlo), vhi);
    const __m128i q = _mm256_cvttpd_epi32(v);  // in [lo, hi] within [0, 255]
    bytes = static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_packus_epi16(_mm_packs_epi32(q, q), _mm_setzero_si128())));
    return true;
}

// Eight lanes, the same operations (the two roundings as masked adds of the same 1.0).
__attribute__((target("avx512f,avx512vl"))) inline bool exactOctet(__m512d acc, __m512d m, __m512d pre, __m512d zpPost,
                                                                   __m512d vlo, __m512d vhi, uint64_t& bytes)
{
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512d t = _mm512_add_pd(acc, pre);
    const __m512d x = _mm512_mul_pd(m, t);
    const __mmask8 safe = _mm512_cmp_pd_mask(t, _mm512_set1_pd(-2147483648.0), _CMP_GE_OQ)
        & _mm512_cmp_pd_mask(t, _mm512_set1_pd(2147483647.0), _CMP_LE_OQ)
        & _mm512_cmp_pd_mask(_mm512_abs_pd(x), _mm512_set1_pd(2147483648.0), _CMP_LT_OQ);
    if (safe != 0xff)
        return false;
    const __m512d k = _mm512_cvtepi32_pd(_mm512_cvttpd_epi32(x));
    const __m512d f = _mm512_sub_pd(x, k);
    const __m512d up = _mm512_mask_add_pd(k, _mm512_cmp_pd_mask(f, _mm512_set1_pd(0.5), _CMP_GE_OQ), k, one);
    const __m512d r = _mm512_mask_sub_pd(up, _mm512_cmp_pd_mask(f, _mm512_set1_pd(-0.5), _CMP_LE_OQ), up, one);
    const __m512d v = _mm512_min_pd(_mm512_max_pd(_mm512_add_pd(zpPost, r), vlo), vhi);
    bytes = static_cast<uint64_t>(_mm_cvtsi128_si64(_mm256_cvtepi32_epi8(_mm512_cvttpd_epi32(v))));
    return true;
}

// Eight lanes through the float32 screen (exact_requantize_simd.h): the codes as eight bytes, or
// false, nothing computed, where a lane is not proven to give the double form's code.
__attribute__((target("avx2"))) inline bool screenedOctet(__m256i acc, __m256 m, __m256i pre, __m256 zpPost, __m256 vlo,
                                                          __m256 vhi, uint64_t& bytes)
{
    const __m256i t = _mm256_add_epi32(acc, pre);
    // acc + pre left int32 where the sum's sign differs from both operands'.
    const __m256i overflow = _mm256_and_si256(_mm256_xor_si256(acc, t), _mm256_xor_si256(pre, t));
    const __m256 x = _mm256_mul_ps(m, _mm256_cvtepi32_ps(t));
    const __m256 n = _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 noTie = _mm256_cmp_ps(_mm256_and_ps(_mm256_sub_ps(x, n), absMask), _mm256_set1_ps(kScreenMaxTieDistance),
                                       _CMP_LE_OQ);
    const __m256 far = _mm256_cmp_ps(_mm256_and_ps(x, absMask), _mm256_set1_ps(kScreenFar), _CMP_GT_OQ);
    const int proven = _mm256_movemask_ps(_mm256_or_ps(noTie, far)) & ~_mm256_movemask_ps(_mm256_castsi256_ps(overflow));
    if (proven != 0xff)
        return false;
    const __m256i q = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(_mm256_add_ps(zpPost, n), vlo), vhi));
    const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    bytes = static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_packus_epi16(words, words)));
    return true;
}

__attribute__((target("avx2"))) inline __m256i loadAcc8i(const int32_t* p)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

__attribute__((target("avx2"))) inline __m256d loadAcc4(const int32_t* p)
{
    return _mm256_cvtepi32_pd(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

__attribute__((target("avx512f,avx512vl"))) inline __m512d loadAcc8(const int32_t* p)
{
    return _mm512_cvtepi32_pd(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

// A group's codes into the tile, one channel row apart.
inline void scatter(uint64_t bytes, int width, uint8_t* out, int64_t stride)
{
    if (stride == 1) {  // channels-last codes: one store
        std::memcpy(out, &bytes, static_cast<size_t>(width));
        return;
    }
    for (int i = 0; i < width; ++i)
        out[i * stride] = static_cast<uint8_t>(bytes >> (8 * i));
}

// Channels c..c+3 of pixel t of a tile in double, or its group into `redo`. (Functions, not lambdas:
// a lambda does not inherit its caller's target.)
__attribute__((target("avx2"))) inline void tileQuad(const int32_t* px, int64_t t, int64_t c, int64_t channels,
                                                     const ExactRequantOperands& ops, __m256d vlo, __m256d vhi,
                                                     uint8_t* tile, TileStrides strides, std::vector<int64_t>& redo)
{
    uint32_t bytes = 0;
    if (!exactQuad(loadAcc4(px + c), _mm256_loadu_pd(ops.multiplier + c), _mm256_loadu_pd(ops.pre + c),
                   _mm256_loadu_pd(ops.zpPost + c), vlo, vhi, bytes)) {
        redo.push_back(t * channels + c);
        return;
    }
    scatter(bytes, 4, tile + c * strides.channel + t * strides.pixel, strides.channel);
}

// Elements i..i+3 of a channel's row in double, or their group into `redo`.
__attribute__((target("avx2"))) inline void rowQuad(const int32_t* in, int64_t i, __m256d m, __m256d pre, __m256d zpPost,
                                                    __m256d vlo, __m256d vhi, uint8_t* out, std::vector<int64_t>& redo)
{
    uint32_t bytes = 0;
    if (exactQuad(loadAcc4(in + i), m, pre, zpPost, vlo, vhi, bytes))
        std::memcpy(out + i, &bytes, 4);
    else
        redo.push_back(i);
}

} // namespace

__attribute__((target("avx2"))) int64_t exactTileAvx2(const int32_t* in, int64_t count, int64_t channels,
                                                      const ExactRequantOperands& ops, uint8_t* tile, TileStrides strides,
                                                      std::vector<int64_t>& redo)
{
    const int64_t quads = channels / 4;
    const int64_t screened = ops.screenMultiplier ? channels / 8 * 8 : 0;
    const __m256d vlo = _mm256_set1_pd(ops.lo), vhi = _mm256_set1_pd(ops.hi);
    const __m256 flo = _mm256_set1_ps(static_cast<float>(ops.lo)), fhi = _mm256_set1_ps(static_cast<float>(ops.hi));
    for (int64_t t = 0; t < count; ++t) {
        const int32_t* px = in + t * channels;
        int64_t c = 0;
        for (; c < screened; c += 8) {
            uint64_t bytes = 0;
            if (screenedOctet(loadAcc8i(px + c), _mm256_loadu_ps(ops.screenMultiplier + c), loadAcc8i(ops.screenPre + c),
                              _mm256_loadu_ps(ops.screenZpPost + c), flo, fhi, bytes)) {
                scatter(bytes, 8, tile + c * strides.channel + t * strides.pixel, strides.channel);
                continue;
            }
            tileQuad(px, t, c, channels, ops, vlo, vhi, tile, strides, redo);
            tileQuad(px, t, c + 4, channels, ops, vlo, vhi, tile, strides, redo);
        }
        for (; c < quads * 4; c += 4)
            tileQuad(px, t, c, channels, ops, vlo, vhi, tile, strides, redo);
    }
    return quads * 4;
}

__attribute__((target("avx512f,avx512vl"))) int64_t exactTileAvx512(const int32_t* in, int64_t count, int64_t channels,
                                                                     const ExactRequantOperands& ops, uint8_t* tile,
                                                                     TileStrides strides, std::vector<int64_t>& redo)
{
    const int64_t octets = channels / 8;
    const bool quad = channels % 8 >= 4;
    const __m512d vlo = _mm512_set1_pd(ops.lo), vhi = _mm512_set1_pd(ops.hi);
    const __m256d vlo4 = _mm256_set1_pd(ops.lo), vhi4 = _mm256_set1_pd(ops.hi);
    for (int64_t t = 0; t < count; ++t) {
        const int32_t* px = in + t * channels;
        int64_t c = 0;
        for (; c < octets * 8; c += 8) {
            uint64_t bytes = 0;
            if (!exactOctet(loadAcc8(px + c), _mm512_loadu_pd(ops.multiplier + c), _mm512_loadu_pd(ops.pre + c),
                            _mm512_loadu_pd(ops.zpPost + c), vlo, vhi, bytes)) {
                redo.push_back(t * channels + c);
                redo.push_back(t * channels + c + 4);
                continue;
            }
            scatter(bytes, 8, tile + c * strides.channel + t * strides.pixel, strides.channel);
        }
        if (quad) {
            uint32_t bytes = 0;
            if (!exactQuad(loadAcc4(px + c), _mm256_loadu_pd(ops.multiplier + c), _mm256_loadu_pd(ops.pre + c),
                           _mm256_loadu_pd(ops.zpPost + c), vlo4, vhi4, bytes))
                redo.push_back(t * channels + c);
            else
                scatter(bytes, 4, tile + c * strides.channel + t * strides.pixel, strides.channel);
        }
    }
    return octets * 8 + (quad ? 4 : 0);
}

__attribute__((target("avx2"))) int64_t exactRowAvx2(const int32_t* in, int64_t n, const ExactRequantOperands& ops,
                                                     uint8_t* out, std::vector<int64_t>& redo)
{
    const __m256d m = _mm256_set1_pd(ops.multiplier[0]), pre = _mm256_set1_pd(ops.pre[0]),
                  zpPost = _mm256_set1_pd(ops.zpPost[0]), vlo = _mm256_set1_pd(ops.lo), vhi = _mm256_set1_pd(ops.hi);
    const int64_t done = n / 4 * 4;
    int64_t i = 0;
    if (ops.screenMultiplier) {
        const __m256 fm = _mm256_set1_ps(ops.screenMultiplier[0]), fzpPost = _mm256_set1_ps(ops.screenZpPost[0]),
                     flo = _mm256_set1_ps(static_cast<float>(ops.lo)), fhi = _mm256_set1_ps(static_cast<float>(ops.hi));
        const __m256i fpre = _mm256_set1_epi32(ops.screenPre[0]);
        for (; i + 8 <= n; i += 8) {
            uint64_t bytes = 0;
            if (screenedOctet(loadAcc8i(in + i), fm, fpre, fzpPost, flo, fhi, bytes)) {
                std::memcpy(out + i, &bytes, 8);
                continue;
            }
            rowQuad(in, i, m, pre, zpPost, vlo, vhi, out, redo);
            rowQuad(in, i + 4, m, pre, zpPost, vlo, vhi, out, redo);
        }
    }
    for (; i < done; i += 4)
        rowQuad(in, i, m, pre, zpPost, vlo, vhi, out, redo);
    return done;
}

__attribute__((target("avx512f,avx512vl"))) int64_t exactRowAvx512(const int32_t* in, int64_t n,
                                                                    const ExactRequantOperands& ops, uint8_t* out,
                                                                    std::vector<int64_t>& redo)
{
    const __m512d m = _mm512_set1_pd(ops.multiplier[0]), pre = _mm512_set1_pd(ops.pre[0]),
                  zpPost = _mm512_set1_pd(ops.zpPost[0]), vlo = _mm512_set1_pd(ops.lo), vhi = _mm512_set1_pd(ops.hi);
    const int64_t done = n / 8 * 8;
    for (int64_t i = 0; i < done; i += 8) {
        uint64_t bytes = 0;
        if (exactOctet(loadAcc8(in + i), m, pre, zpPost, vlo, vhi, bytes))
            std::memcpy(out + i, &bytes, 8);
        else
            redo.push_back(i);
    }
    return done;
}
#else
int64_t exactTileAvx2(const int32_t*, int64_t, int64_t, const ExactRequantOperands&, uint8_t*, TileStrides, std::vector<int64_t>&) { return 0; }
int64_t exactTileAvx512(const int32_t*, int64_t, int64_t, const ExactRequantOperands&, uint8_t*, TileStrides, std::vector<int64_t>&) { return 0; }
int64_t exactRowAvx2(const int32_t*, int64_t, const ExactRequantOperands&, uint8_t*, std::vector<int64_t>&) { return 0; }
int64_t exactRowAvx512(const int32_t*, int64_t, const ExactRequantOperands&, uint8_t*, std::vector<int64_t>&) { return 0; }
#endif

} // namespace bg
