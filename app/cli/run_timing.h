#pragma once
// Timing of `biasguard-cli run --repeat N`: the first run (its outputs are the ones written, and it
// warms caches: oneDNN primitives, weight reorders, page faults), then N timed runs of the same
// inputs, reported as their median — loading and calibration are never inside the timed region.
#include <QElapsedTimer>

#include <algorithm>
#include <functional>
#include <vector>

namespace bgcli {

struct RunTiming {
    double firstMs = 0.0;
    double medianMs = 0.0;  // of the `repeat` runs after the first; 0 without --repeat
};

inline RunTiming timeRuns(const std::function<void()>& run, int repeat)
{
    RunTiming t;
    QElapsedTimer timer;
    timer.start();
    run();
    t.firstMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    std::vector<double> ms;
    for (int r = 0; r < repeat; ++r) {
        timer.restart();
        run();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    if (!ms.empty()) {
        std::sort(ms.begin(), ms.end());
        const size_t n = ms.size();
        t.medianMs = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2.0;
    }
    return t;
}

} // namespace bgcli
