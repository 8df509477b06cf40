#pragma once
// The sum of n floats in double, in a fixed order: element i goes to partial sum i mod 8, and the
// partials are added as ((p0 + p4) + (p1 + p5)) + ((p2 + p6) + (p3 + p7)). Eight independent
// chains instead of one, so the adds overlap; the order does not depend on the machine or on
// threads, so every build gives the same bits.
#include <cstdint>

namespace bg {

inline double interleavedSum(const float* x, int64_t n)
{
    double p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k)
            p[k] += static_cast<double>(x[i + k]);
    for (int k = 0; i < n; ++i, ++k)
        p[k] += static_cast<double>(x[i]);
    return ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]));
}

} // namespace bg
