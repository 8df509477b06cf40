#pragma once
// The report's width-sweep section (issue 12), when a sweep ran: the SweepPlot, the
// recommendation in words (bg::recommendBiasWidths over the sweep's rows, one sentence per weight
// width) and the sweep's table, one row per weight width × bias width.
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <QString>

class ReportCanvas;

// The sentence the section prints for one weight width, e.g. "W8: without the fix the register
// needs 24 bits; with the fix 12 bits (the fix changes 5 channels)."
QString recommendationSentence(const bg::BiasWidthRecommendation& rec);

void sweepSection(ReportCanvas& canvas, const bg::WidthSweep& sweep);
