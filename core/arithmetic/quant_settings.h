#pragma once
// The settings of QUANT_SPEC §3 (plus the strategy of §7). Every default is the spec's default.
#include <cstdint>
#include <string>

namespace bg {

enum class Granularity { PerChannel, PerTensor };
enum class Strategy { Clamp, Separate, Constant, Widen, Auto };
// How the integer pipeline rounds (docs/SPEC_NOTES.md "Arithmetic: onnxruntime"). Exact is the
// contract of QUANT_SPEC §3/§4/§6: exact quotients, half away from zero. OnnxRuntime is what ONNX
// Runtime's CPU kernels compute for BiasGuard's QDQ export: float32 quotients and multipliers,
// half to even, so that `run --mode int` predicts ONNX Runtime's codes instead of §6's.
enum class Arithmetic { Exact, OnnxRuntime };

const char* granularityName(Granularity g);   // "per_channel" / "per_tensor"
const char* strategyName(Strategy s);         // "clamp", "separate", ...
const char* arithmeticName(Arithmetic a);     // "exact" / "onnxruntime"
// Parse the CLI/JSON spelling; throw bg::Error(BadSetting) naming the accepted values.
Granularity parseGranularity(const std::string& text);
Strategy parseStrategy(const std::string& text);
Arithmetic parseArithmetic(const std::string& text);

struct QuantSettings {
    int weightBits = 4;       // n_w, 2..8: signed symmetric narrow range
    int activationBits = 8;   // n_a, 2..8: unsigned affine
    int biasBits = 16;        // n_b, 8..32
    Granularity granularity = Granularity::PerChannel;
    Strategy strategy = Strategy::Auto;
    int accumulatorBits = 32; // fixed by the spec; reported, not configurable
    Arithmetic arithmetic = Arithmetic::Exact;
    // The hardware preset the widths came from (arithmetic/hardware_target.h), empty for widths
    // given one by one; the analysis, the exports and the report name it.
    std::string target;

    // Throws bg::Error(BadSetting) with e.g. "weight_bits: 9 is out of range 2..8".
    void validate() const;
};

} // namespace bg
