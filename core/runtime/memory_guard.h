#pragma once
// The memory a run holds, counted as it goes: every tensor stored (inputs, node outputs, the
// tensors returned) is added, every one released is taken off, and passing the limit ends the run
// with bg::Error(OverLimit) naming the tensor that did it, never an OOM kill. The count is of tensor
// data only, a few additions per node: nothing a normal run notices. estimateRunBytes
// (memory_estimate.h) says the same before a run starts, from the static shapes.
#include "model/tensor.h"

#include <cstdint>
#include <string>

namespace bg {

// Bytes of a tensor's data as the runtime holds it (float32 or int64).
int64_t tensorBytes(const Tensor& t);

class MemoryGuard {
public:
    // `limit` <= 0: no limit. `subject` (the model file) starts the message.
    MemoryGuard(int64_t limit, std::string subject) : limit_(limit), subject_(std::move(subject)) {}

    // Throws bg::Error(OverLimit) when the held bytes pass the limit; `name` is the tensor added.
    void add(const Tensor& t, const std::string& name) { add(tensorBytes(t), name); }
    void add(int64_t bytes, const std::string& name);
    void remove(const Tensor& t) { remove(tensorBytes(t)); }
    void remove(int64_t bytes) { held_ -= bytes; }
    int64_t held() const { return held_; }

private:
    int64_t limit_;
    std::string subject_;
    int64_t held_ = 0;
};

} // namespace bg
