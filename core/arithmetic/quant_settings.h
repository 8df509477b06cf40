#pragma once
// The settings of QUANT_SPEC §3 (plus the strategy of §7). Every default is the spec's default.
#include <cstdint>
#include <string>

namespace bg {

enum class Granularity { PerChannel, PerTensor };
enum class Strategy { Clamp, Separate, Constant, Widen, Auto };

const char* granularityName(Granularity g);   // "per_channel" / "per_tensor"
const char* strategyName(Strategy s);         // "clamp", "separate", ...
// Parse the CLI/JSON spelling; throw bg::Error(BadSetting) naming the accepted values.
Granularity parseGranularity(const std::string& text);
Strategy parseStrategy(const std::string& text);

struct QuantSettings {
    int weightBits = 4;       // n_w, 2..8: signed symmetric narrow range
    int activationBits = 8;   // n_a, 2..8: unsigned affine
    int biasBits = 16;        // n_b, 8..32
    Granularity granularity = Granularity::PerChannel;
    Strategy strategy = Strategy::Auto;
    int accumulatorBits = 32; // fixed by the spec; reported, not configurable
    // The hardware preset the widths came from (arithmetic/hardware_target.h), empty for widths
    // given one by one; the analysis, the exports and the report name it.
    std::string target;

    // Throws bg::Error(BadSetting) with e.g. "weight_bits: 9 is out of range 2..8".
    void validate() const;
};

} // namespace bg
