#pragma once
// Where tests find their data: the source tree (checked-in models and expected outputs), the build
// tree (generated files, the CLI) and Debian's ONNX backend test data. The folders are configured
// into ONE generated file (test_paths.cpp.in) rather than compile definitions, so that a clone in
// another folder (CI's) compiles every test to the same object and ccache reuses it.
#include <string>

namespace bgtest {

std::string sourcePath(const std::string& rel);
std::string binaryPath(const std::string& rel);
std::string onnxTestData(const std::string& rel);
// build/app/biasguard-cli, for the end-to-end tests that drive it as a user would.
std::string cliPath();

} // namespace bgtest
