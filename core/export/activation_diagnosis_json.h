#pragma once
// The activation-range diagnosis in JSON (issue 13): `analyze --json` gets the tensors array,
// `compare --json` the object {"tensors": [...], "first_collapse": {...} or null}.
// Per tensor: tensor, consumer, range [lo, hi], median_channel_span, ratio, est_cost_db, channels, flagged.
#include "analysis/activation_diagnosis.h"
#include "comparison/first_collapse.h"
#include "io/json_writer.h"

#include <optional>
#include <vector>

namespace bg {

void writeDiagnosedTensorsJson(JsonWriter& w, const std::vector<TensorRangeDiagnosis>& tensors);
void writeActivationDiagnosisJson(JsonWriter& w, const std::vector<TensorRangeDiagnosis>& tensors,
                                  const std::optional<FirstCollapse>& firstCollapse);

} // namespace bg
