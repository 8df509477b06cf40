#pragma once
// Where tests find their data: the source tree (checked-in models and expected outputs), the build
// tree (generated files) and Debian's ONNX backend test data.
#include <string>

namespace bgtest {

inline std::string sourcePath(const std::string& rel) { return std::string(BIASGUARD_SOURCE_DIR) + "/" + rel; }
inline std::string binaryPath(const std::string& rel) { return std::string(BIASGUARD_BINARY_DIR) + "/" + rel; }
inline std::string onnxTestData(const std::string& rel) { return std::string(BIASGUARD_ONNX_TESTDATA_DIR) + "/" + rel; }

} // namespace bgtest
