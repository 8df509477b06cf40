#include "sweep/width_sweep.h"

#include "comparison/model_comparison.h"
#include "io/error.h"

#include <cstdlib>

namespace bg {

namespace {

RunFigures figures(const ComparisonMetrics& m)
{
    return RunFigures{m.sqnrDb, m.cosine, m.top1};
}

int64_t changedChannels(const ModelComparison& c)
{
    int64_t n = 0;
    for (const auto& [strategy, count] : c.planCounts)
        n += strategy != Strategy::Clamp ? count : 0;
    for (const auto& [strategy, count] : c.unfoldedCounts)
        n += strategy != Strategy::Clamp ? count : 0;
    return n;
}

} // namespace

WidthSweep sweepWidths(const ModelStructure& model, const RangeTable& ranges, CalibrationSource& inputs,
                       const QuantSettings& base, const SweepOptions& options)
{
    if (options.weightBits.empty() || options.biasBits.empty())
        throw Error(ErrorCode::BadSetting, "sweep", "needs at least one weight width and one bias width");
    for (int wb : options.weightBits)
        for (int bb : options.biasBits) {
            QuantSettings s = base;
            s.weightBits = wb;
            s.biasBits = bb;
            s.validate();
        }

    WidthSweep sweep;
    sweep.settings = base;
    sweep.inputs = inputs.description();
    sweep.samples = inputs.count();
    for (const ValueInfo& out : model.graph.outputs)
        sweep.outputs.push_back(out.name);

    FloatReferenceCache floatReference;
    const size_t total = options.weightBits.size() * options.biasBits.size();
    size_t done = 0;
    for (int wb : options.weightBits) {
        std::vector<RunFigures> exact;  // per output, from the first bias width of this weight width
        std::optional<double> exactAccuracy;
        for (int bb : options.biasBits) {
            QuantSettings s = base;
            s.weightBits = wb;
            s.biasBits = bb;
            const FoldAnalysis analysis = analyzeFolds(model.graph, model.pairs, s, ranges);
            ComparisonOptions co;
            co.plan = options.plan;
            co.perLayer = false;  // the sweep reads the outputs only
            co.exactBiasReference = exact.empty();
            co.floatReference = &floatReference;
            co.cancel = options.cancel;
            co.labels = options.labels;
            const ModelComparison c = compareModel(model, ranges, analysis, inputs, co);

            SweepRow row;
            row.weightBits = wb;
            row.biasBits = bb;
            row.outOfRange = analysis.summary.outOfRange;
            row.unfixable = analysis.summary.unfixable;
            row.channelsChanged = changedChannels(c);
            for (size_t k = 0; k < c.outputs.size(); ++k) {
                const OutputComparison& o = c.outputs[k];
                if (co.exactBiasReference)
                    exact.push_back(figures(*o.exactBias));
                std::optional<TaskAccuracy> accuracy = o.accuracy;
                if (accuracy && co.exactBiasReference)
                    exactAccuracy = accuracy->exactBias;
                if (accuracy)
                    accuracy->exactBias = exactAccuracy;
                row.outputs.push_back(
                    SweepOutputFigures{o.name, figures(o.quantized), figures(o.fixed), exact[k], accuracy});
            }
            sweep.rows.push_back(std::move(row));
            if (options.progress)
                options.progress(++done, total);
        }
    }
    return sweep;
}

std::vector<int> parseWidthList(const std::string& text, const std::string& option)
{
    auto bad = [&]() {
        return Error(ErrorCode::BadSetting, option, "'" + text + "' is not a width, a range A:B or a list A,B,...");
    };
    auto number = [&](const std::string& part) {
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 4)
            throw bad();
        return std::atoi(part.c_str());
    };
    std::vector<int> widths;
    const size_t colon = text.find(':');
    if (colon != std::string::npos) {
        const int lo = number(text.substr(0, colon));
        const int hi = number(text.substr(colon + 1));
        if (lo > hi)
            throw bad();
        for (int b = lo; b <= hi; ++b)
            widths.push_back(b);
        return widths;
    }
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        widths.push_back(number(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return widths;
}

} // namespace bg
