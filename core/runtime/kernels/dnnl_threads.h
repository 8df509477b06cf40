#pragma once
// Thread count for one oneDNN call, chosen from the size of the work alone (so a given shape always
// runs the same way and gives the same bytes).
//
// Every oneDNN primitive and reorder is an OpenMP parallel region ending in a barrier. On a machine
// shared with other busy processes, the spinning OpenMP workers get descheduled and each barrier
// can wait a whole scheduler slice (milliseconds): the PaddleOCR detector's ~250 small regions took
// 2.8 s with two threads against 0.6 s with one. Small convolutions gain nothing from a second
// thread anyway, so they run single-threaded; only big ones use the full team.
#include <cstdint>

namespace bg {

// While alive, oneDNN calls made on this thread use one OpenMP thread when `macs` (multiply-adds
// of the operation) is below the threshold; otherwise the default team. Restores the previous
// setting on destruction.
class DnnlThreadScope {
public:
    explicit DnnlThreadScope(int64_t macs);
    ~DnnlThreadScope();
    DnnlThreadScope(const DnnlThreadScope&) = delete;
    DnnlThreadScope& operator=(const DnnlThreadScope&) = delete;

private:
    int previous_ = 0;
};

// Multiply-adds from which a oneDNN call runs on several threads.
constexpr int64_t kDnnlParallelMacs = int64_t(256) * 1000 * 1000;

} // namespace bg
