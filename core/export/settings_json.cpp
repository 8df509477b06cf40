#include "export/settings_json.h"

namespace bg {

void writeSettingsJson(JsonWriter& w, const QuantSettings& s)
{
    w.beginObject();
    w.key("weight_bits").value(s.weightBits);
    w.key("activation_bits").value(s.activationBits);
    w.key("bias_bits").value(s.biasBits);
    w.key("granularity").value(granularityName(s.granularity));
    w.key("accumulator_bits").value(s.accumulatorBits);
    w.key("strategy").value(strategyName(s.strategy));
    w.key("arithmetic").value(arithmeticName(s.arithmetic));
    if (!s.target.empty())
        w.key("target").value(s.target);
    w.endObject();
}

} // namespace bg
