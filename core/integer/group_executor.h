#pragma once
// Runs one prepared fusion group in integers (QUANT_SPEC §6, §7): the exact linear kernel on the
// input codes, then the group's precomputed requantization (int_requantize.h), per output channel
//     y = clamp(zp_y + round(M_c · sat32(acc + pre_c)) + post_c, outLo, outHi)
// with t = acc + pre_c formed in int64 and checked against the signed 32-bit accumulator
// (an overflow saturates and is counted, never wraps silently).
#include "model/node.h"
#include "folding/fusion_group.h"
#include "integer/int_tensor.h"
#include "integer/quantized_group.h"

#include <cstdint>

namespace bg {

struct GroupRunCounters {
    int64_t accumulatorOverflows = 0;  // kernel sums plus acc + bias, outside int32
    IntKernelPath path = IntKernelPath::Reference;  // the linear kernel's path
};

// `linear` is L's node (its attributes give the convolution geometry). `referenceKernels` forces
// the plain-loop integer convolution (bit-identical to the fast one; tests use it as the oracle).
QuantActivation runQuantizedGroup(const Node& linear, int64_t opset, const FusionGroup& group,
                                  const QuantizedGroup& qg, const QuantActivation& x, bool referenceKernels,
                                  GroupRunCounters& counters);
// The same with `requant` in place of qg.requant (the group's with a chain's code table).
QuantActivation runQuantizedGroup(const Node& linear, int64_t opset, const FusionGroup& group,
                                  const QuantizedGroup& qg, const QuantActivation& x, bool referenceKernels,
                                  GroupRunCounters& counters, const RequantizeParams& requant);

} // namespace bg
