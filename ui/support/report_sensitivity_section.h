#pragma once
// The report's sensitivity section (issue 12), when it ran: the layers with out-of-range channels
// ranked by the output SQNR that fixing each alone gains (the top-ranked first), with the
// channels that carry most of each layer's error, and the sentence naming the fewest layers that
// give 90 % of the whole plan's gain.
#include "sweep/fix_sensitivity.h"

#include <QString>

class ReportCanvas;

// "3 of 7 layers (12 channels) give 93.1 % of the whole plan's gain (41.20 dB)", or why not.
QString sensitivitySummary(const bg::FixSensitivity& s);

void sensitivitySection(ReportCanvas& canvas, const bg::FixSensitivity& s);
