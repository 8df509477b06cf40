#include "sweep/bias_width_recommendation.h"

#include <algorithm>
#include <cmath>

namespace bg {

bool withinExactBias(const SweepRow& row, SweepRun run, double toleranceDb)
{
    if (row.outputs.empty())
        return false;
    for (const SweepOutputFigures& o : row.outputs) {
        const double exact = o.exactBias.sqnrDb;
        const double got = runFigures(o, run).sqnrDb;
        if (std::isnan(exact) || std::isnan(got))
            return false;
        if (got >= exact)  // also +inf against +inf, where the difference would be NaN
            continue;
        if (exact - got > toleranceDb)
            return false;
    }
    return true;
}

namespace {

// The smallest bias width from which on every row of `rows` (one weight width, sorted by bias
// width) is within; none when the widest is not.
const SweepRow* smallestWithin(const std::vector<const SweepRow*>& rows, SweepRun run, double toleranceDb)
{
    const SweepRow* best = nullptr;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        if (!withinExactBias(**it, run, toleranceDb))
            break;
        best = *it;
    }
    return best;
}

} // namespace

std::vector<BiasWidthRecommendation> recommendBiasWidths(const std::vector<SweepRow>& rows, double toleranceDb)
{
    std::vector<int> weightWidths;
    for (const SweepRow& r : rows)
        if (std::find(weightWidths.begin(), weightWidths.end(), r.weightBits) == weightWidths.end())
            weightWidths.push_back(r.weightBits);

    std::vector<BiasWidthRecommendation> result;
    for (int wb : weightWidths) {
        std::vector<const SweepRow*> ofWidth;
        for (const SweepRow& r : rows)
            if (r.weightBits == wb)
                ofWidth.push_back(&r);
        std::stable_sort(ofWidth.begin(), ofWidth.end(),
                         [](const SweepRow* a, const SweepRow* b) { return a->biasBits < b->biasBits; });
        BiasWidthRecommendation rec;
        rec.weightBits = wb;
        if (const SweepRow* r = smallestWithin(ofWidth, SweepRun::Clamp, toleranceDb))
            rec.withoutFix = r->biasBits;
        if (const SweepRow* r = smallestWithin(ofWidth, SweepRun::Fixed, toleranceDb)) {
            rec.withFix = r->biasBits;
            rec.channelsChanged = r->channelsChanged;
        }
        result.push_back(rec);
    }
    return result;
}

} // namespace bg
