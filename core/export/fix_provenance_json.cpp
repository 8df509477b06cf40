#include "export/fix_provenance_json.h"

#include "export/settings_json.h"
#include "io/json_writer.h"

namespace bg {

std::string fixProvenanceJson(const QuantSettings& settings, const FixPlan& resolvedPlan)
{
    JsonWriter w;
    writeSettingsJson(w, settings);
    std::string plan = resolvedPlan.toJson();
    while (!plan.empty() && plan.back() == '\n')
        plan.pop_back();
    // The plan's own writer makes the "plan" value, so that the entry parses with FixPlan::fromJson.
    return "{\n\"format\": \"biasguard-fix\",\n\"version\": 1,\n\"settings\": " + w.str() + ",\n\"plan\": " + plan + "\n}\n";
}

} // namespace bg
