#pragma once
// The PDF report a user hands to the team: a title block (model, size, producer, opset, date,
// settings, target, calibration, plan), a verdict in plain words, the merged-bias analysis (the
// |γ|-vs-bits scatter, the bits histogram, the layer table; each bad layer's chart and worst
// channels: report_layer_section), the integer comparison when one ran, the width sweep
// (report_sweep_section) and the sensitivity ranking (report_sensitivity_section) when they ran,
// and appendices with the formulas used and the command that reproduces it. Rendered with the
// screen's chart classes.
#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "fix/fix_plan.h"
#include "sweep/fix_sensitivity.h"
#include "sweep/width_sweep.h"

#include <QString>
#include <QStringList>

#include <memory>

struct ReportInput {
    QString modelPath;
    QString calibration;  // description of the calibration set
    std::shared_ptr<const bg::FoldAnalysis> analysis;            // required
    std::shared_ptr<const bg::ModelComparison> comparison;       // optional
    std::shared_ptr<const bg::WidthSweep> sweep;                 // optional: chart, table, recommendation
    std::shared_ptr<const bg::FixSensitivity> sensitivity;       // optional: the one-layer-fix ranking
    // optional: the plan whose "after the fix" registers the charts and tables show (the one the
    // comparison ran); null: the analysis settings' strategy everywhere.
    std::shared_ptr<const bg::FixPlan> plan;
    size_t planOverrides = 0;  // channels the user set by hand (0: the auto plan)
    QString planPath;          // the plan file the comparison ran with (empty: --strategy)
    QString target;            // the deployment target the settings came from, if one was chosen
    // The command that reproduces the report, program first (report_command.h); printed in the
    // appendix. Empty: the report says it was not recorded.
    QStringList command;
};

// Writes atomically (QSaveFile): the file appears complete or not at all. Returns the page count.
// Throws bg::Error(WriteFailed) naming `path` when it cannot be written, bg::Error(BadInput) when
// there is no analysis.
int writePdfReport(const QString& path, const ReportInput& input);
