#include "sweep/sweep_row.h"

#include <cmath>

namespace bg {

const RunFigures& runFigures(const SweepOutputFigures& o, SweepRun run)
{
    switch (run) {
    case SweepRun::Clamp: return o.clamp;
    case SweepRun::Fixed: return o.fixed;
    case SweepRun::ExactBias: return o.exactBias;
    }
    return o.clamp;
}

RunFigures worstFigures(const SweepRow& row, SweepRun run)
{
    RunFigures worst;
    bool first = true;
    for (const SweepOutputFigures& o : row.outputs) {
        const RunFigures& f = runFigures(o, run);
        if (first) {
            worst = f;
            first = false;
            continue;
        }
        // fmin-like but NaN-propagating: a NaN figure is the worst there is.
        auto lower = [](double a, double b) { return (std::isnan(a) || a < b) ? a : b; };
        worst.sqnrDb = lower(f.sqnrDb, worst.sqnrDb);
        worst.cosine = lower(f.cosine, worst.cosine);
        if (f.top1 && worst.top1)
            worst.top1 = lower(*f.top1, *worst.top1);
        else if (f.top1)
            worst.top1 = f.top1;
    }
    return worst;
}

} // namespace bg
