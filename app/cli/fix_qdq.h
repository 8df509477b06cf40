#pragma once
// `biasguard-cli fix --format qdq`: the QDQ ONNX export (QUANT_SPEC §10), in its own file so that
// the exporter can be built and replaced apart from the other formats of cmd_fix.cpp.
#include "calibrated_model.h"

#include "analysis/fold_analysis.h"
#include "arithmetic/quant_settings.h"
#include "fix/fix_plan.h"

#include <QString>

namespace bgcli {

// Writes the QDQ model of `m` at the resolved `plan` to `out`; returns the command's exit code.
int writeQdqExport(const CalibratedModel& m, const bg::FoldAnalysis& analysis, const bg::FixPlan& plan,
                   const bg::QuantSettings& settings, const QString& out);

} // namespace bgcli
