#pragma once
// The report's sensitivity section (issue 12), when it ran: the layers with out-of-range channels
// ranked by the output SQNR that fixing each alone gains (the top-ranked first), with the
// channels that carry most of each layer's error, and the sentence naming the fewest layers that
// give 90 % of the whole plan's gain.
#include "sweep/fix_sensitivity.h"

#include <QString>

class ReportCanvas;

// "Fixing the top 3 of 7 layers (12 channels) gives 93.1 % of the whole plan's gain (41.20 dB; the
// whole plan 42.00 dB).", or why no layer is worth it.
QString sensitivitySummary(const bg::FixSensitivity& s);

void sensitivitySection(ReportCanvas& canvas, const bg::FixSensitivity& s);
