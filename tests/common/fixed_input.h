#pragma once
// The fixed test input shared with tools/ort/run_ort.mjs (which made tests/data/ort_reference):
// x[i] = ((i * 7919) mod 2001) / 1000 - 1 over the row-major index i, values in [-1, 1].
#include "model/tensor.h"

namespace bgtest {

bg::Tensor fixedTestInput(const bg::Shape& shape);

} // namespace bgtest
