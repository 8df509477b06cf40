#include "export/overlay_export.h"

#include "export/export_names.h"
#include "io/atomic_file.h"
#include "io/error.h"
#include "io/json_writer.h"

#include <cmath>
#include <utility>
#include <vector>

namespace bg {

namespace {

// Colours that read on Model Explorer's light and dark themes.
constexpr const char* kGood = "#81c784";
constexpr const char* kWarn = "#ffb74d";
constexpr const char* kBad = "#e57373";

void threshold(JsonWriter& w, double upperBound, const char* colour)
{
    w.beginObject();
    w.key("value").value(upperBound);
    w.key("bgColor").value(colour);
    w.endObject();
}

void gradientStop(JsonWriter& w, double stop, const char* colour)
{
    w.beginObject();
    w.key("stop").value(stop);
    w.key("bgColor").value(colour);
    w.endObject();
}

std::vector<std::pair<std::string, double>> values(OverlayFigure figure, const FoldAnalysis& analysis,
                                                   const ModelComparison* comparison)
{
    std::vector<std::pair<std::string, double>> out;
    switch (figure) {
    case OverlayFigure::Bits:
        for (const LayerAnalysis& l : analysis.layers)
            out.emplace_back(l.name, l.maxBits);
        break;
    case OverlayFigure::OutOfRange:
        for (const LayerAnalysis& l : analysis.layers)
            out.emplace_back(l.name, static_cast<double>(l.outOfRange));
        break;
    case OverlayFigure::SqnrClamp:
    case OverlayFigure::SqnrFixed:
        if (!comparison)
            throw Error(ErrorCode::BadSetting, "--figure",
                        std::string(overlayFigureName(figure)) + " needs a comparison run (internal: none was given)");
        for (const LayerComparison& l : comparison->layers)
            out.emplace_back(l.name, figure == OverlayFigure::SqnrClamp ? l.quantized.sqnrDb : l.fixed.sqnrDb);
        break;
    }
    return out;
}

} // namespace

const char* overlayFigureName(OverlayFigure figure)
{
    switch (figure) {
    case OverlayFigure::Bits: return "bits";
    case OverlayFigure::OutOfRange: return "out_of_range";
    case OverlayFigure::SqnrClamp: return "sqnr_clamp";
    case OverlayFigure::SqnrFixed: return "sqnr_fixed";
    }
    return "bits";
}

OverlayFigure parseOverlayFigure(const std::string& name)
{
    for (OverlayFigure f : {OverlayFigure::Bits, OverlayFigure::OutOfRange, OverlayFigure::SqnrClamp, OverlayFigure::SqnrFixed})
        if (name == overlayFigureName(f))
            return f;
    throw Error(ErrorCode::BadSetting, "--figure", "'" + name + "' is not one of bits, out_of_range, sqnr_clamp, sqnr_fixed");
}

bool overlayNeedsComparison(OverlayFigure figure)
{
    return figure == OverlayFigure::SqnrClamp || figure == OverlayFigure::SqnrFixed;
}

std::string overlayJson(OverlayFigure figure, const FoldAnalysis& analysis, const ModelComparison* comparison,
                        const std::string& graphName)
{
    JsonWriter w;
    w.beginObject();
    w.key(exportGraphName(graphName)).beginObject();
    w.key("results").beginObject();
    for (const auto& [node, value] : values(figure, analysis, comparison)) {
        if (!std::isfinite(value))
            continue;
        w.key(node).beginObject().key("value").value(value).endObject();
    }
    w.endObject();
    const double nb = analysis.settings.biasBits;
    switch (figure) {
    case OverlayFigure::Bits:
        // A threshold is an upper bound: a node takes the first whose value is at least its own.
        w.key("thresholds").beginArray();
        threshold(w, nb, kGood);
        threshold(w, nb + 4, kWarn);
        threshold(w, 1e9, kBad);
        w.endArray();
        break;
    case OverlayFigure::OutOfRange:
        w.key("thresholds").beginArray();
        threshold(w, 0, kGood);
        threshold(w, 1e9, kBad);
        w.endArray();
        break;
    case OverlayFigure::SqnrClamp:
    case OverlayFigure::SqnrFixed:
        // Spread over the figure's own range: the worst layer red, the best green.
        w.key("gradient").beginArray();
        gradientStop(w, 0.0, kBad);
        gradientStop(w, 0.5, kWarn);
        gradientStop(w, 1.0, kGood);
        w.endArray();
        break;
    }
    w.endObject();
    w.endObject();
    return w.str() + "\n";
}

void writeOverlay(const std::string& path, OverlayFigure figure, const FoldAnalysis& analysis,
                  const ModelComparison* comparison, const std::string& graphName)
{
    writeFileAtomically(path, overlayJson(figure, analysis, comparison, graphName));
}

} // namespace bg
