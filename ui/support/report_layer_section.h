#pragma once
// The report's per-layer section: for each layer with out-of-range or crushed channels, its
// LayerBiasChart (the merged bias of every channel against the register band, out-of-range ones
// in red, the register contents after the fix beside each) and its worst channels (γ, σ, a, b',
// B_c, bits, strategy, split error). A big model can have hundreds of such layers: the report
// shows the kMaxReportedLayers worst (reportedLayers) and says so; the exports list every one.
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"

#include <cstddef>
#include <memory>
#include <vector>

class ReportCanvas;

inline constexpr size_t kMaxReportedLayers = 12;
inline constexpr size_t kMaxReportedChannels = 16;  // per layer, most bits first

// Indices into analysis.layers of the layers the section shows, in graph order: of those with an
// out-of-range or crushed channel, the `limit` worst (most bits needed, then most out of range,
// then most crushed; ties in graph order).
std::vector<size_t> reportedLayers(const bg::FoldAnalysis& analysis, size_t limit = kMaxReportedLayers);

// Nothing when no layer has an out-of-range or crushed channel.
void layerDetailSection(ReportCanvas& canvas, const std::shared_ptr<const bg::FoldAnalysis>& analysis,
                        const bg::FixPlan& plan);
