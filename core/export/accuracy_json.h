#pragma once
// The task accuracy object of compare's and sweep's JSON (issue 13):
// {"output", "samples", "float", "quantized", "fixed", "exact_bias"} (fractions; exact_bias null
// without the exact-bias reference).
#include "comparison/task_accuracy.h"
#include "io/json_writer.h"

namespace bg {

void writeAccuracyJson(JsonWriter& w, const TaskAccuracy& a);

} // namespace bg
