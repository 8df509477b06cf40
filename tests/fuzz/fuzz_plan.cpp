// The fuzz target "plan_json": the fix-plan reader and the JSON parser under it.
#include "fuzz_targets.h"

#include "fix/fix_plan.h"
#include "io/error.h"

namespace bgfuzz {

void fuzzPlanJson(const uint8_t* data, size_t size)
{
    try {
        const bg::FixPlan plan = bg::FixPlan::fromJson(std::string(reinterpret_cast<const char*>(data), size), "fuzz_plan.json");
        // What is read must write back and read again as the same plan.
        if (!(bg::FixPlan::fromJson(plan.toJson(), "fuzz_plan.json") == plan))
            __builtin_trap();
    } catch (const bg::Error&) {
    }
}

} // namespace bgfuzz
