#pragma once
// The bodies of the libFuzzer targets, shared by the fuzz executables (fuzz_main.cpp, built with
// BIASGUARD_FUZZ by scripts/fuzz.sh) and by the ctest case tst_fuzz_regressions, which replays the
// committed crash inputs of tests/data/fuzz_regressions/<target>/ through the normal build. Each
// body feeds its bytes to BiasGuard's readers; a bg::Error is a correct answer to a hostile input,
// anything else (another exception, a sanitizer report, a crash, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bgfuzz {

using Target = void (*)(const uint8_t* data, size_t size);

struct TargetInfo {
    const char* name;  // fuzz_<name> is the executable, tests/data/fuzz_regressions/<name>/ its crashes
    Target run;
};

// load model -> pairs and fusion groups -> calibrate on one tiny synthetic sample -> analyse ->
// one float and one integer inference.
void fuzzModel(const uint8_t* data, size_t size);
// The ONNX TensorProto (.pb) reader.
void fuzzTensorProto(const uint8_t* data, size_t size);
// The NumPy .npy reader.
void fuzzNpy(const uint8_t* data, size_t size);
// The fix-plan JSON reader (the JSON parser under it).
void fuzzPlanJson(const uint8_t* data, size_t size);

const std::vector<TargetInfo>& targets();

} // namespace bgfuzz
