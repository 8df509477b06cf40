#include "arithmetic/quant_settings.h"

#include "io/error.h"

namespace bg {

const char* granularityName(Granularity g)
{
    return g == Granularity::PerChannel ? "per_channel" : "per_tensor";
}

const char* strategyName(Strategy s)
{
    switch (s) {
    case Strategy::Clamp: return "clamp";
    case Strategy::Separate: return "separate";
    case Strategy::Constant: return "constant";
    case Strategy::Widen: return "widen";
    case Strategy::Auto: return "auto";
    }
    return "auto";
}

const char* arithmeticName(Arithmetic a)
{
    return a == Arithmetic::Exact ? "exact" : "onnxruntime";
}

Arithmetic parseArithmetic(const std::string& text)
{
    if (text == "exact")
        return Arithmetic::Exact;
    if (text == "onnxruntime")
        return Arithmetic::OnnxRuntime;
    throw Error(ErrorCode::BadSetting, "arithmetic", "'" + text + "' is not one of exact, onnxruntime");
}

Granularity parseGranularity(const std::string& text)
{
    if (text == "per_channel")
        return Granularity::PerChannel;
    if (text == "per_tensor")
        return Granularity::PerTensor;
    throw Error(ErrorCode::BadSetting, "granularity", "'" + text + "' is not one of per_channel, per_tensor");
}

Strategy parseStrategy(const std::string& text)
{
    for (Strategy s : {Strategy::Clamp, Strategy::Separate, Strategy::Constant, Strategy::Widen, Strategy::Auto})
        if (text == strategyName(s))
            return s;
    throw Error(ErrorCode::BadSetting, "strategy",
                "'" + text + "' is not one of auto, separate, constant, widen, clamp");
}

static void checkRange(const char* name, int value, int lo, int hi)
{
    if (value < lo || value > hi)
        throw Error(ErrorCode::BadSetting, name,
                    std::to_string(value) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
}

void QuantSettings::validate() const
{
    checkRange("weight_bits", weightBits, 2, 8);
    checkRange("activation_bits", activationBits, 2, 8);
    checkRange("bias_bits", biasBits, 8, 32);
}

} // namespace bg
