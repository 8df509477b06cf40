#include "sweep/bias_width_recommendation.h"

#include <algorithm>
#include <cmath>

namespace bg {

namespace {

bool withinOne(double got, double reference, double toleranceDb)
{
    if (std::isnan(reference) || std::isnan(got))
        return false;
    if (got >= reference)  // also +inf against +inf, where the difference would be NaN
        return true;
    return reference - got <= toleranceDb;
}

} // namespace

bool withinExactBias(const SweepRow& row, SweepRun run, double toleranceDb)
{
    if (row.outputs.empty())
        return false;
    for (const SweepOutputFigures& o : row.outputs)
        if (!withinOne(runFigures(o, run).sqnrDb, o.exactBias.sqnrDb, toleranceDb))
            return false;
    return true;
}

std::vector<double> referenceSqnr(const std::vector<const SweepRow*>& rows, ReferenceKind* worstKind)
{
    if (worstKind)
        *worstKind = ReferenceKind::ExactBias;
    if (rows.empty())
        return {};
    // The exact-bias run does not depend on the bias width (it runs at 32-bit registers); take the
    // widest row's, and the widest row's clamp run when nothing is out of range there.
    const SweepRow* widest = *std::max_element(
        rows.begin(), rows.end(), [](const SweepRow* a, const SweepRow* b) { return a->biasBits < b->biasBits; });
    std::vector<double> reference;
    std::vector<bool> fromClamp;
    for (const SweepOutputFigures& o : widest->outputs) {
        double ref = o.exactBias.sqnrDb;
        bool clampSets = false;
        if (widest->outOfRange == 0 && !std::isnan(o.clamp.sqnrDb) && o.clamp.sqnrDb < ref) {
            ref = o.clamp.sqnrDb;
            clampSets = true;
        }
        reference.push_back(ref);
        fromClamp.push_back(clampSets);
    }
    if (worstKind && !reference.empty()) {
        const size_t worst = static_cast<size_t>(std::min_element(reference.begin(), reference.end()) - reference.begin());
        *worstKind = fromClamp[worst] ? ReferenceKind::OverflowFreeClamp : ReferenceKind::ExactBias;
    }
    return reference;
}

std::vector<double> referenceSqnr(const std::vector<SweepRow>& rows, int weightBits, ReferenceKind* worstKind)
{
    std::vector<const SweepRow*> ofWidth;
    for (const SweepRow& r : rows)
        if (r.weightBits == weightBits)
            ofWidth.push_back(&r);
    return referenceSqnr(ofWidth, worstKind);
}

bool withinReference(const SweepRow& row, SweepRun run, const std::vector<double>& reference, double toleranceDb)
{
    if (row.outputs.empty() || row.outputs.size() != reference.size())
        return false;
    for (size_t i = 0; i < row.outputs.size(); ++i)
        if (!withinOne(runFigures(row.outputs[i], run).sqnrDb, reference[i], toleranceDb))
            return false;
    return true;
}

namespace {

// The smallest bias width from which on every row of `rows` (one weight width, sorted by bias
// width) is within; none when the widest is not.
const SweepRow* smallestWithin(const std::vector<const SweepRow*>& rows, SweepRun run,
                               const std::vector<double>& reference, double toleranceDb)
{
    const SweepRow* best = nullptr;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        if (!withinReference(**it, run, reference, toleranceDb))
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
        const std::vector<double> reference = referenceSqnr(ofWidth, &rec.reference);
        if (!reference.empty())
            rec.referenceSqnrDb = *std::min_element(reference.begin(), reference.end());
        if (const SweepRow* r = smallestWithin(ofWidth, SweepRun::Clamp, reference, toleranceDb))
            rec.withoutFix = r->biasBits;
        if (const SweepRow* r = smallestWithin(ofWidth, SweepRun::Fixed, reference, toleranceDb)) {
            rec.withFix = r->biasBits;
            rec.channelsChanged = r->channelsChanged;
        }
        result.push_back(rec);
    }
    return result;
}

} // namespace bg
