#pragma once
// A node-data file for Google's Model Explorer (`model-explorer MODEL --node_data_paths=FILE`): one
// figure per linear layer, shown as the colour of its node,
//     {"<graph id>": {"results": {"<node id>": {"value": v}, …}, "thresholds" | "gradient": […]}}
// with the graph id = the graph's export name and the node ids = L's export names (export_names.h),
// which are the node names of the fixed model and, where the input named its nodes, of the input.
//   bits          bits the worst channel's merged bias needs (§5), thresholds at n_b and n_b + 4
//   out_of_range  channels of the layer whose merged bias is out of range, thresholds at 0
//   sqnr_clamp    SQNR (dB) of the layer's output, integer pipeline with the naive fold (propagated)
//   sqnr_fixed    the same with the fix plan; both on a red→green gradient. Needs a comparison.
// A layer whose figure is not a finite number (an exact output: SQNR +inf) is left out.
#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"

#include <string>

namespace bg {

enum class OverlayFigure { Bits, OutOfRange, SqnrClamp, SqnrFixed };

const char* overlayFigureName(OverlayFigure figure);
// Throws bg::Error(BadSetting, "--figure") for anything but bits, out_of_range, sqnr_clamp, sqnr_fixed.
OverlayFigure parseOverlayFigure(const std::string& name);
// Whether the figure is read from a comparison (compareModel) rather than the analysis.
bool overlayNeedsComparison(OverlayFigure figure);

// `comparison` may be null for the analysis' figures; throws bg::Error(BadSetting) when a SQNR
// figure is asked without one. `graphName` is the model's graph name (Graph::graphName).
std::string overlayJson(OverlayFigure figure, const FoldAnalysis& analysis, const ModelComparison* comparison,
                        const std::string& graphName);

// Atomic write; throws bg::Error(WriteFailed) naming `path`.
void writeOverlay(const std::string& path, OverlayFigure figure, const FoldAnalysis& analysis,
                  const ModelComparison* comparison, const std::string& graphName);

} // namespace bg
