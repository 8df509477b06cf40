#pragma once
// Element-wise comparison of a computed tensor with the ONNX test's expected one:
// |actual - expected| <= atol + rtol * |expected| for floats (NaN matches NaN, equal infinities
// match), exact equality for integers. The report names the worst element so that an operator
// author sees at once where a kernel goes wrong.
#include "model/tensor.h"

#include <string>

namespace bgconf {

struct Tolerance {
    double rtol = 1e-4;
    double atol = 1e-5;
};

struct CompareResult {
    bool ok = true;
    std::string detail;  // empty when ok
};

// `expectedElemType` is the ONNX type the test stores: float16/bfloat16 expectations are compared
// with the actual values rounded to that type, as a float16 kernel would have produced them.
CompareResult compareTensors(const bg::Tensor& actual, const bg::Tensor& expected, int32_t expectedElemType,
                             const Tolerance& tol = {});

} // namespace bgconf
