#pragma once
// How a fixed model was made, as the JSON its `biasguard` metadata_props entry holds:
//     {"format": "biasguard-fix", "version": 1, "settings": {…settings_json…}, "plan": {…FixPlan JSON…}}
// The plan is the resolved one (FixPlan::resolvedAgainst): `--plan` re-applies it as it is.
#include "arithmetic/quant_settings.h"
#include "fix/fix_plan.h"

#include <string>

namespace bg {

// The metadata_props key of the fixed model.
inline constexpr const char* kProvenanceKey = "biasguard";

std::string fixProvenanceJson(const QuantSettings& settings, const FixPlan& resolvedPlan);

} // namespace bg
