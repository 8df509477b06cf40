#pragma once
// QUANT_SPEC §8: how far a result x is from the float reference ref, plus the Polygraphy-style
// element check (an element fails when it exceeds BOTH the absolute and the relative tolerance).
#include "comparison/error_histogram.h"
#include "model/tensor.h"

#include <cstdint>
#include <optional>

namespace bg {

struct ComparisonMetrics {
    double cosine = 1.0;     // of the flattened tensors (1 when both are all zero)
    double sqnrDb = 0.0;     // 10·log10(Σref² / Σ(ref−x)²), +inf when equal
    double maxAbs = 0.0;
    double mse = 0.0;
    // TFLite's per-layer figure: rmse / scale, ≈ 0.29 (1/√12) for a tensor rounded as well as it can be.
    std::optional<double> rmseOverScale;
    std::optional<double> top1;  // fraction of rows whose argmax over the last axis agrees (rank 2)
    int64_t count = 0;
    ErrorHistogram errors;   // |ref − x| per element, in octaves (what the GUI's error histogram draws)
};

// Throws bg::Error(ShapeMismatch) naming both shapes when they differ.
void requireSameShape(const Tensor& ref, const Tensor& x);

// The metrics of one sample: MetricAccumulator over that sample alone (its formulas, §8).
// Throws bg::Error(ShapeMismatch) when the shapes differ. `scale` enables rmseOverScale.
ComparisonMetrics compareTensors(const Tensor& ref, const Tensor& x, std::optional<double> scale = std::nullopt);

struct ToleranceCheck {
    int64_t failed = 0;        // elements with |x−ref| > atol AND |x−ref| > rtol·|ref|
    int64_t worstIndex = -1;   // element with the largest |x−ref| − (atol + rtol·|ref|)
    double worstRef = 0.0;
    double worstValue = 0.0;
    bool passed() const { return failed == 0; }
};

// NaN matches NaN; ±inf must match exactly. Shapes must be equal (throws otherwise).
ToleranceCheck checkTolerance(const Tensor& ref, const Tensor& x, double atol, double rtol);

} // namespace bg
