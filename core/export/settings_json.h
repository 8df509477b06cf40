#pragma once
// The `settings` object every JSON export carries (QUANT_SPEC §9 "every setting of §3 and the
// strategy"), written one way for the analysis and the comparison alike.
#include "arithmetic/quant_settings.h"
#include "io/json_writer.h"

namespace bg {

void writeSettingsJson(JsonWriter& w, const QuantSettings& s);

} // namespace bg
