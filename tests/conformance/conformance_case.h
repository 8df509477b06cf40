#pragma once
// One ONNX backend test directory (model.onnx + test_data_set_*/input_K.pb, output_K.pb): load,
// run with the fast and the reference kernels, compare every output.
#include <chrono>
#include <string>
#include <vector>

namespace bgconf {

struct CaseResult {
    enum class Status { Pass, Fail, Skip };
    Status status = Status::Pass;
    std::string reason;                    // why it failed or was skipped (one line, or a few)
    std::vector<std::string> missingOps;   // op types the registry lacks (Skip)
    double seconds = 0;
};

CaseResult runConformanceCase(const std::string& dir);

// "onnx_node.test_abs" for .../node/test_abs.
std::string caseName(const std::string& dir);

} // namespace bgconf
