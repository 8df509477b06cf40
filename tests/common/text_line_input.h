#pragma once
// Text-line crops as the PaddleOCR direction classifier reads them, for tests that need its inputs
// in distribution (on noise its logits move with any perturbation: float SQNR near 0 dB).
#include "model/tensor.h"

#include <cstdint>

namespace bgtest {

// One [N,C,H,W] crop, normalised as the classifier's preprocessing does ((v/255 - 0.5)/0.5: paper
// near 1, ink near -1) and, like PaddleOCR's resize_norm_img, padded with 0 right of the text's
// resized width. The text is one line of glyph-like strokes (bars, stems, ascenders, descenders)
// whose widths, spacing, height, baseline, contrast, tint, pixel noise and line length vary with
// `seed`; odd seeds turn the text by 180 degrees (the classifier's second class). Deterministic:
// integer LCG, no library random engine.
bg::Tensor textLineCropTestInput(const bg::Shape& shape, uint32_t seed);

} // namespace bgtest
