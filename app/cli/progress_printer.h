#pragma once
// Calibration progress on stderr: one line per 10 %, so logs from CI stay short.
#include <QTextStream>

#include <cstddef>
#include <functional>

namespace bgcli {

inline std::function<void(size_t, size_t)> progressPrinter(const char* what)
{
    return [what, last = -1](size_t done, size_t total) mutable {
        const int pct = total ? static_cast<int>(100 * done / total) : 100;
        if (pct / 10 != last / 10 || done == total) {
            if (pct == last)
                return;
            last = pct;
            QTextStream(stderr) << what << ": " << pct << " %\n";
        }
    };
}

} // namespace bgcli
