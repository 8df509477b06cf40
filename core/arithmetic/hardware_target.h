#pragma once
// Hardware presets (issue 12): a named target's weight/activation/bias widths and weight-scale
// granularity with the public source of each figure, read from resources/targets.json, which the
// build compiles into the core (builtinTargets()) so an installed binary needs no data folder.
#include "arithmetic/quant_settings.h"

#include <string>
#include <vector>

namespace bg {

struct TargetSource {
    std::string url;
    std::string says;  // what the source says, quoted or closely paraphrased
};

struct HardwareTarget {
    std::string name;   // what --target takes, e.g. "tflite-int8"
    std::string title;
    int weightBits = 8;
    int activationBits = 8;
    int biasBits = 32;
    Granularity granularity = Granularity::PerChannel;
    // False: the target's widths are outside BiasGuard's integer model (QUANT_SPEC §3); `reason`
    // says which. Listed so that asking for it explains instead of failing as an unknown name.
    bool applies = true;
    std::string reason;
    std::string note;   // how BiasGuard's model differs from the target's arithmetic, if it does
    std::vector<TargetSource> sources;  // at least one

    // The target's widths and granularity over `base` (strategy and the rest kept), with
    // target = name. Throws bg::Error(BadSetting) naming the target when it does not apply.
    QuantSettings apply(QuantSettings base) const;
};

// Parses the targets file; throws bg::Error(BadInput) naming `subject` and the bad entry (unknown
// keys, missing figures or sources, a duplicate name, an applying target with invalid widths).
std::vector<HardwareTarget> parseHardwareTargets(const std::string& json, const std::string& subject);

// resources/targets.json as compiled in.
const std::vector<HardwareTarget>& builtinTargets();
// Throws bg::Error(BadSetting, "--target", ...) listing the known names.
const HardwareTarget& findTarget(const std::string& name);

} // namespace bg
