#pragma once
// Every tensor one integer run stored, and what each fusion group's run counted: what a re-run
// after a change of the fix plan reads for the nodes it does not recompute (IntegerRunOptions::reuse).
// An engineer changes one channel's strategy and runs the comparison again; only that group and
// what reads its output (directly or further down) can differ, everything upstream and beside it
// is the same bytes as before. Slots are shared, so a re-run that records its own memo copies no
// tensor it did not recompute. One memo per input sample; it holds all the run's activations
// (a model's whole activation set per sample: meant for small inputs and few samples).
#include "integer/group_executor.h"
#include "integer/int_tensor.h"
#include "model/tensor.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace bg {

// A tensor of an integer run: float (dequantized) or int64, with its codes when quantized.
struct IntegerTensorSlot {
    Tensor value;
    QuantActivation codes;  // valid when quantized
    bool quantized = false;
    // Quantized and `value` not computed yet: only integer kernels and chain tables (which read the
    // codes) have read it so far; the first reader of the floats dequantizes it. Never in a memo.
    bool lazyValue = false;
};

struct IntegerRunMemo {
    std::unordered_map<std::string, std::shared_ptr<const IntegerTensorSlot>> tensors;
    std::vector<GroupRunCounters> groups;  // per fusion group: its counters in the recorded run
    std::vector<bool> groupRan;            // per fusion group: it ran (and `groups` holds its counts)
};

} // namespace bg
