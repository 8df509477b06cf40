#pragma once
// Folds tensors into running min/max ranges with one cheap linear pass per tensor (nothing is
// kept alive). NaN and ±inf do not poison the range: they are skipped and the range is flagged
// nonFinite, so the user is told rather than seeing a silently meaningless scale.
#include "calibration/range_table.h"
#include "model/tensor.h"

#include <map>
#include <string>

namespace bg {

class RangeAccumulator {
public:
    // Float tensors only; integer tensors (shapes, indices) and empty tensors are ignored.
    void add(const std::string& name, const Tensor& tensor);
    // The same for a non-empty float tensor whose finite min/max and non-finite flag were already
    // taken (ChannelRanges::add): no second pass over its values.
    void addScanned(const std::string& name, float min, float max, bool nonFinite, const Tensor& tensor);
    // Adds what `later` saw as if its tensors had been added here after this one's (min/max,
    // counts; a tensor's rank stays the first one's).
    void merge(const RangeAccumulator& later);
    // min/max of the finite values seen; a tensor with no finite value at all gets [0, 0].
    RangeTable table() const;

private:
    struct Running {
        float min;
        float max;
        bool nonFinite = false;
        int64_t count = 0;
        int rank = -1;
    };
    std::map<std::string, Running> ranges_;
};

} // namespace bg
