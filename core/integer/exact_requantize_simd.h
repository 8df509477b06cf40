#pragma once
// The vector loops of the exact requantization (int_requantize.h's requantizeValue after
// addBiasChecked), four channels or pixels at a time in AVX2 doubles and eight in AVX-512 doubles.
// Every lane does the scalar form's operations on the same doubles: acc + pre (exact: below 2^33),
// M·t rounded once, round half away from zero from the exact truncation and fraction, zp + post
// (an exact integer) added, clamped to [lo, hi]. A group of lanes outside where that holds (t
// beyond int32: a bias overflow, which the scalar form saturates and counts; |M·t| ≥ 2^31, the
// truncation's range; NaN) is written nowhere and left to the caller through `redo`.
// Compiled with target attributes and chosen at run time (never assumed from the build machine).
#include <cstdint>
#include <vector>

namespace bg {

// The widest loops a call may use: the CPU's (requantizeSimdAvailable) capped by the caller's choice
// (the tests compare every width with the scalar form).
enum class RequantizeSimd : uint8_t { Scalar, Sse2, Avx2, Avx512 };
RequantizeSimd requantizeSimdAvailable();

// Per-channel operands of the exact form in double (pre = the pre-scale bias, zpPost = zp_y + post_c).
// The AVX2 loops first try eight lanes in float32 (the screen, below) where the screen's operands
// are given: float32(M_c), pre_c as int32 and float32(zp_y + post_c), with a NaN multiplier for a
// channel the screen cannot prove (pre_c beyond int32, |zp_y + post_c| > 2^10, M_c not finite or
// beyond 2^64), which fails every one of its lanes. Null: doubles only.
struct ExactRequantOperands {
    const double* multiplier;
    const double* pre;
    const double* zpPost;
    double lo, hi;
    const float* screenMultiplier = nullptr;
    const int32_t* screenPre = nullptr;
    const float* screenZpPost = nullptr;
};

// The float32 screen. t = acc + pre in int32 (a lane that overflows is not taken), x_f =
// float32(M)·float32(t) rounded to float32, n = x_f rounded to the nearest integer. Three roundings
// of 2^-24 each put x_f within 3.0002·2^-24·|M·t| of M·t (plus 2^-117 where float32(M) or x_f is
// subnormal), and the double product x_d within 2^-53 of it:
//   |x_f| ≤ 4096 and |x_f − n| ≤ 0.5 − 2^-9: |x_d − n| < 0.4988, so round half away from zero of
//     x_d is n (no tie within reach), and the code is clamp(zp + post + n, lo, hi);
//   |x_f| > 4096: |round(x_d)| ≥ 4096, so with |zp + post| ≤ 2^10 and [lo, hi] within [0, 255]
//     the code is lo or hi by x's sign, which clamp(zp + post + n) gives as well.
// Any other lane (about 0.4% of them, near a tie, and NaN) sends its group to the double form.
constexpr float kScreenMaxTieDistance = 0.5f - 1.0f / 512.0f;
constexpr float kScreenFar = 4096.0f;
constexpr double kScreenMaxZpPost = 1024.0;

// Where a tile keeps the code of channel c of its pixel t: tile[c·channel + t·pixel] (channel-major
// for codes written out channels-first, pixel-major for channels-last).
struct TileStrides {
    int64_t channel, pixel;
};

// Channels-last: a tile of `count` pixels of `channels` accumulators each into the tile, for the
// channels below the returned multiple of 4 (AVX2: eight screened, or four in double, at a time)
// or of 8, then 4 (AVX-512). A group of four channels of a pixel that the vector form cannot take
// goes to `redo` as t·channels + c.
int64_t exactTileAvx2(const int32_t* in, int64_t count, int64_t channels, const ExactRequantOperands& ops,
                      uint8_t* tile, TileStrides strides, std::vector<int64_t>& redo);
int64_t exactTileAvx512(const int32_t* in, int64_t count, int64_t channels, const ExactRequantOperands& ops,
                        uint8_t* tile, TileStrides strides, std::vector<int64_t>& redo);

// One channel's contiguous run of n accumulators (ops' pointers at that channel) into out[0, n):
// the elements below the returned multiple of 4 (AVX2) or 8 (AVX-512); a group that the vector
// form cannot take goes to `redo` as its first index, 4 (AVX2) or 8 (AVX-512) elements long.
int64_t exactRowAvx2(const int32_t* in, int64_t n, const ExactRequantOperands& ops, uint8_t* out,
                     std::vector<int64_t>& redo);
int64_t exactRowAvx512(const int32_t* in, int64_t n, const ExactRequantOperands& ops, uint8_t* out,
                       std::vector<int64_t>& redo);

} // namespace bg
