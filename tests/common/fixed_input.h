#pragma once
// The fixed test input shared with tools/ort/run_ort.mjs (which made tests/data/ort_reference):
// x[i] = ((i * 7919) mod 2001) / 1000 - 1 over the row-major index i, values in [-1, 1].
#include "model/tensor.h"

namespace bgtest {

bg::Tensor fixedTestInput(const bg::Shape& shape);

// A normalised page of glyph-like dark strokes (-1.5) on bright paper (2.0), [N,C,H,W], the same
// in every channel (tools/ort/run_ort.mjs --make-text-input): the PaddleOCR detector finds text in
// it, where on fixedTestInput its probability map is ~0 everywhere and a comparison tests noise.
bg::Tensor textLinesTestInput(const bg::Shape& shape);

} // namespace bgtest
