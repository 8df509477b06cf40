#include "fuzz_targets.h"

namespace bgfuzz {

const std::vector<TargetInfo>& targets()
{
    static const std::vector<TargetInfo> all = {
        {"model", fuzzModel},
        {"tensor_proto", fuzzTensorProto},
        {"npy", fuzzNpy},
        {"plan_json", fuzzPlanJson},
    };
    return all;
}

} // namespace bgfuzz
