#include "export/encodings_export.h"

#include "arithmetic/quant_math.h"
#include "export/settings_json.h"
#include "io/atomic_file.h"
#include "io/json_writer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace bg {

namespace {

// One AIMET encoding of a signed symmetric integer grid [qmin, qmax] at `scale`: offset = qmin,
// min = qmin·scale, max = qmax·scale (AIMET's strict-symmetric form when qmin = −qmax).
void symmetricEncoding(JsonWriter& w, int bits, int64_t qmin, int64_t qmax, double scale)
{
    w.beginObject();
    w.key("bitwidth").value(bits);
    w.key("dtype").value("int");
    w.key("is_symmetric").value("True");
    w.key("max").value(static_cast<double>(qmax) * scale);
    w.key("min").value(static_cast<double>(qmin) * scale);
    w.key("offset").value(qmin);
    w.key("scale").value(scale);
    w.endObject();
}

// Per channel scales as one list; a single entry when every channel has the same (per tensor).
// A tensor two layers share (tied weights) is listed once, for the first.
void paramEncodings(JsonWriter& w, std::set<std::string>& written, const std::string& tensor,
                    const std::vector<double>& scales, int bits, int64_t qmin, int64_t qmax)
{
    if (tensor.empty() || scales.empty() || !written.insert(tensor).second)
        return;
    const bool perTensor = std::all_of(scales.begin(), scales.end(), [&](double s) { return s == scales.front(); });
    w.key(tensor).beginArray();
    for (size_t c = 0; c < (perTensor ? 1 : scales.size()); ++c)
        symmetricEncoding(w, bits, qmin, qmax, scales[c]);
    w.endArray();
}

void activationEncodings(JsonWriter& w, const IntegerRuntime& rt)
{
    const int bits = rt.analysis().settings.activationBits;
    w.key("activation_encodings").beginObject();
    for (const std::string& tensor : rt.quantizedTensors()) {
        const TensorRange& r = rt.range(tensor);
        const ActivationQuant q = rt.activationQuant(tensor);
        w.key(tensor).beginArray().beginObject();
        w.key("bitwidth").value(bits);
        w.key("dtype").value("int");
        w.key("is_symmetric").value("False");
        // lo' and hi' of §4: reading them back gives the same s and zp (activationQuantFromRange).
        w.key("max").value(std::max(r.max, 0.0));
        w.key("min").value(std::min(r.min, 0.0));
        w.key("offset").value(-q.zeroPoint);
        w.key("scale").value(q.scale);
        w.endObject().endArray();
    }
    w.endObject();
}

// The fixed-model names of a group's tensors: the pair's new initializers for a BN group, the
// model's own weight and bias otherwise (the fixed model leaves those layers as they were).
FixedLayerNames groupTensors(const FusionGroup& g, const FixedModel& fixed)
{
    if (g.hasBn && g.pairIndex >= 0 && static_cast<size_t>(g.pairIndex) < fixed.layers.size())
        return fixed.layers[static_cast<size_t>(g.pairIndex)];
    FixedLayerNames names;
    names.weight = g.params.weight;
    names.bias = g.params.bias;
    return names;
}

void paramEncodingsOfGroups(JsonWriter& w, const IntegerRuntime& rt, const FixedModel& fixed)
{
    const QuantSettings& s = rt.analysis().settings;
    const int64_t qw = weightQmax(s.weightBits);
    w.key("param_encodings").beginObject();
    std::set<std::string> written;
    for (const QuantizedGroup& qg : rt.quantizedGroups()) {
        const FusionGroup& g = rt.groups().groups[qg.groupIndex];
        const FixedLayerNames names = groupTensors(g, fixed);
        // The model stores W, not Gemm's alpha·W: the stored tensor's step is the code's step / alpha.
        const double alpha = g.params.weightMultiplier;
        if (!(alpha > 0))
            continue;  // a negative alpha has no symmetric encoding of the stored tensor
        std::vector<double> weight, bias, post;
        bool separated = false;
        for (const ChannelRequant& r : qg.channels) {
            weight.push_back(r.weightScale / alpha);
            bias.push_back(r.weightScale * qg.input.scale);  // the pre-scale register: accumulator units
            post.push_back(qg.output.scale);                 // the post-scale register: output steps
            separated = separated || r.strategy == Strategy::Separate;
        }
        paramEncodings(w, written, names.weight, weight, s.weightBits, -qw, qw);
        if (g.kind != LinearKind::MatMul)
            paramEncodings(w, written, names.bias, bias, s.biasBits, signedMin(s.biasBits), signedMax(s.biasBits));
        if (separated && g.kind != LinearKind::MatMul)
            paramEncodings(w, written, names.postBias, post, s.biasBits, signedMin(s.biasBits), signedMax(s.biasBits));
    }
    w.endObject();
}

void numbers(JsonWriter& w, const std::vector<double>& v)
{
    w.beginArray();
    for (double x : v)
        w.value(x);
    w.endArray();
}

void biasguardSection(JsonWriter& w, const IntegerRuntime& rt)
{
    w.key("biasguard").beginObject();
    w.key("format").value("biasguard-encodings");
    w.key("version").value(1);
    w.key("settings");
    writeSettingsJson(w, rt.analysis().settings);
    // §7's constant test reads each BN layer's per-channel pre-BN range: not an activation of the
    // fixed model (the fold removed it), so it is kept here, by layer name.
    w.key("pre_bn_ranges").beginObject();
    for (const LayerAnalysis& layer : rt.analysis().layers) {
        if (!layer.hasPreBnRange)
            continue;
        const TensorRange& r = rt.range(layer.preBnTensor);
        w.key(layer.name).beginObject();
        w.key("min").value(r.min);
        w.key("max").value(r.max);
        w.key("channel_min");
        numbers(w, r.channelMin);
        w.key("channel_max");
        numbers(w, r.channelMax);
        w.endObject();
    }
    w.endObject();
    // Linear layers the integer kernels cannot run have no weight encodings: say which and why,
    // so that a missing entry is never mistaken for a layer BiasGuard forgot.
    w.key("float_layers").beginArray();
    for (const auto& [layer, reason] : rt.groups().floatLinear) {
        w.beginObject();
        w.key("node").value(layer);
        w.key("reason").value(reason);
        w.endObject();
    }
    w.endArray();
    w.key("non_finite").beginArray();
    for (const std::string& tensor : rt.quantizedTensors())
        if (rt.range(tensor).nonFinite)
            w.value(tensor);
    w.endArray();
    w.endObject();
}

} // namespace

std::string encodingsJson(const IntegerRuntime& runtime, const FixedModel& fixed)
{
    JsonWriter w;
    w.beginObject();
    w.key("version").value(kEncodingsVersion);
    activationEncodings(w, runtime);
    paramEncodingsOfGroups(w, runtime, fixed);
    biasguardSection(w, runtime);
    w.endObject();
    return w.str() + "\n";
}

void writeEncodings(const std::string& path, const IntegerRuntime& runtime, const FixedModel& fixed)
{
    writeFileAtomically(path, encodingsJson(runtime, fixed));
}

} // namespace bg
