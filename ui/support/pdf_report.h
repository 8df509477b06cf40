#pragma once
// The PDF report a user hands to the team: model and settings, the merged-bias analysis (summary,
// the |γ|-vs-bits chart, layers, worst channels) and, when one was run, the integer comparison
// (outputs, per-layer SQNR chart and table). Rendered with the screen's chart classes.
#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"

#include <QString>

#include <memory>

struct ReportInput {
    QString modelPath;
    QString calibration;  // description of the calibration set
    std::shared_ptr<const bg::FoldAnalysis> analysis;            // required
    std::shared_ptr<const bg::ModelComparison> comparison;       // optional
    size_t planOverrides = 0;  // channels the user set by hand (0: the auto plan)
};

// Writes atomically (QSaveFile): the file appears complete or not at all. Returns the page count.
// Throws bg::Error(WriteFailed) naming `path` when it cannot be written, bg::Error(BadInput) when
// there is no analysis.
int writePdfReport(const QString& path, const ReportInput& input);
