#pragma once
// The activation-range diagnosis as `analyze` and `compare` print it (issue 13): the tensors whose
// shared scale costs most, with the remedies users know, and the first collapse.
#include "analysis/activation_diagnosis.h"
#include "comparison/first_collapse.h"

#include <QTextStream>

#include <optional>
#include <vector>

namespace bgcli {

// The `limit` worst tensors (already ordered worst first) that are flagged, or a line saying none is.
void printActivationDiagnosis(QTextStream& out, const std::vector<bg::TensorRangeDiagnosis>& tensors, size_t limit);
// The first collapse and, when its input was diagnosed, that tensor's figures.
void printFirstCollapse(QTextStream& out, const std::optional<bg::FirstCollapse>& collapse,
                        const std::vector<bg::TensorRangeDiagnosis>& tensors);

} // namespace bgcli
