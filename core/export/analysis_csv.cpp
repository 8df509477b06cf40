#include "export/analysis_csv.h"

#include "io/atomic_file.h"

#include <charconv>
#include <cmath>

namespace bg {

namespace {

std::string field(const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string number(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[40];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
    return std::string(buf, res.ptr);
}

const char* flag(bool b) { return b ? "true" : "false"; }

} // namespace

std::string analysisToCsv(const FoldAnalysis& a)
{
    std::string out =
        "layer,op,bn,channel,gamma,fold_factor,weight_scale,bias_float,bias_exact,bias_int,bits,out_of_range,"
        "crushed,bits_separated,strategy,headroom,separated_weight_scale,pre_bias_int,post_bias_int,"
        "constant_applies,auto_strategy,widened,widened_weight_scale,split_pre_int,split_post_int,split_error_steps,unfixable,note\n";
    for (const LayerAnalysis& layer : a.layers) {
        for (const ChannelAnalysis& ch : layer.channels) {
            out += field(layer.name) + ',' + field(layer.op) + ',' + field(layer.bn) + ',' + std::to_string(ch.channel);
            for (double v : {ch.gamma, ch.foldFactor, ch.weightScale, ch.biasFloat, ch.biasExact, ch.biasInt})
                out += ',' + number(v);
            out += ',' + std::to_string(ch.bits) + ',' + flag(ch.outOfRange) + ',' + flag(ch.crushed) + ','
                + std::to_string(ch.bitsSeparated) + ',' + strategyName(ch.strategy);
            for (double v : {ch.headroom, ch.separatedWeightScale, ch.preBiasInt, ch.postBiasInt})
                out += ',' + number(v);
            out += std::string(",") + flag(ch.constantApplies) + ',' + strategyName(ch.autoStrategy) + ','
                + flag(ch.widened) + ',' + number(ch.widenedWeightScale) + ',' + std::to_string(ch.splitPre) + ','
                + std::to_string(ch.splitPost) + ',' + number(ch.splitError) + ',' + flag(ch.unfixable) + ','
                + field(ch.note) + '\n';
        }
    }
    return out;
}

void writeAnalysisCsv(const std::string& path, const FoldAnalysis& analysis)
{
    writeFileAtomically(path, analysisToCsv(analysis));
}

} // namespace bg
