// One libFuzzer executable per target: BG_FUZZ_TARGET (a compile definition, tests/fuzz/CMakeLists.txt)
// is the function of fuzz_targets.h it drives.
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bgfuzz::BG_FUZZ_TARGET(data, size);
    return 0;
}
