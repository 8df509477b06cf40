#pragma once
// Gamma separation's bias, placed in the two n_b-bit registers of the §7 pipeline
//
//     y_c = clamp(zp_y + round(M_c·(acc_c + pre_c)) + post_c, ...),   M_c = a_c·s_W,c·s_x/s_y
//
// A unit of pre_c is worth |M_c| output steps, a unit of post_c one step, so together they hold the
// merged bias b'_c/s_y (in output steps) far more exactly and over a far wider range than §7's
// fixed split (q_pre from b_c − μ_c, q_post from β_c): docs/SPEC_NOTES.md, "Bias split".
// Pure functions of numbers, shared by the analysis (what auto promises) and the integer backend
// (what runs), so the two cannot disagree.
#include <cstdint>

namespace bg {

struct BiasSplit {
    int64_t pre = 0;
    int64_t post = 0;
    double error = 0.0;  // |M·pre + post − target| in output steps (NaN when the target is NaN)
};

// A split (pre, post), both within the signed n_b-bit range, that represents `target` (output
// steps) for the multiplier M as exactly as an in-range fold would — within min(|M|, 1)/2 — with
// the post part closest to `preferredPost`; where no split comes that close, the most exact one
// (the registers at their limits). Because post is an integer added after rounding, the output
// carries a single rounding: y = round(M·acc + target + e) with |e| = error.
BiasSplit splitBias(double target, double multiplier, int biasBits, double preferredPost);

// One channel's gamma separation as auto and the backend run it: the split above with §7's s_W,c;
// where the two registers cannot hold the bias even so, s_W,c is widened (§7's last rule) to the
// smallest scale whose split is exact — far less widening than making q_pre alone fit.
struct SeparationInput {
    double foldFactor = 1.0;      // a_c (1 for a layer without BN)
    double baseScale = 1.0;       // s_W,c of the unscaled weights (§7)
    double inputScale = 1.0;      // s_x
    double outputScale = 1.0;     // s_y
    double foldedBias = 0.0;      // b'_c
    double preferredPost = 0.0;   // β_c/s_y (§7's q_post before rounding); 0 without BN
    int biasBits = 16;
    double maxAbsWeight = 0.0;    // max|W_c| of the unscaled weights
};

struct Separation {
    double weightScale = 1.0;  // s_W,c used (widened or not)
    double multiplier = 0.0;   // M_c = a_c·weightScale·s_x/s_y
    BiasSplit split;
    bool exact = true;         // split.error ≤ ½ output step: as exact as an in-range fold
    bool widened = false;
    double residualError = 0.0;  // split error with the unwidened s_W,c (output steps)
    bool widenedToZero = false;  // the widened scale rounds every weight of the channel to 0
};

Separation planSeparation(const SeparationInput& in);

} // namespace bg
