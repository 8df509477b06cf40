#include "export/analysis_json.h"

#include "io/atomic_file.h"
#include "export/activation_diagnosis_json.h"
#include "io/json_writer.h"
#include "export/settings_json.h"

namespace bg {

static void writeChannel(JsonWriter& w, const ChannelAnalysis& ch)
{
    w.beginObject();
    w.key("channel").value(ch.channel);
    // The §9 fields, in the spec's order.
    w.key("gamma").value(ch.gamma);
    w.key("fold_factor").value(ch.foldFactor);
    w.key("weight_scale").value(ch.weightScale);
    w.key("bias_float").value(ch.biasFloat);
    w.key("bias_exact").value(ch.biasExact);
    w.key("bias_int").value(ch.biasInt);
    w.key("bits").value(ch.bits);
    w.key("out_of_range").value(ch.outOfRange);
    w.key("crushed").value(ch.crushed);
    w.key("bits_separated").value(ch.bitsSeparated);
    w.key("strategy").value(strategyName(ch.strategy));
    // Extras a reader needs to check the numbers or act on them.
    w.key("headroom").value(ch.headroom);
    w.key("separated_weight_scale").value(ch.separatedWeightScale);
    w.key("pre_bias_int").value(ch.preBiasInt);
    w.key("post_bias_int").value(ch.postBiasInt);
    w.key("constant_applies").value(ch.constantApplies);
    w.key("auto_strategy").value(strategyName(ch.autoStrategy));
    w.key("widened").value(ch.widened);
    w.key("widened_weight_scale").value(ch.widenedWeightScale);
    w.key("split_pre_int").value(ch.splitPre);
    w.key("split_post_int").value(ch.splitPost);
    w.key("split_error_steps").value(ch.splitError);
    w.key("unfixable").value(ch.unfixable);
    w.key("note").value(ch.note);
    w.endObject();
}

std::string analysisToJson(const FoldAnalysis& a, const std::vector<TensorRangeDiagnosis>* activation)
{
    JsonWriter w;
    w.beginObject();
    w.key("settings");
    writeSettingsJson(w, a.settings);
    w.key("model").beginObject();
    w.key("path").value(a.modelPath);
    w.key("opset").value(a.opset);
    w.key("producer").value(a.producer);
    w.endObject();

    w.key("layers").beginArray();
    for (const LayerAnalysis& layer : a.layers) {
        w.beginObject();
        w.key("name").value(layer.name);
        w.key("op").value(layer.op);
        w.key("bn").value(layer.bn);
        w.key("input_scale").value(layer.inputScale);
        w.key("input_zero_point").value(layer.inputZeroPoint);
        w.key("output_scale").value(layer.outputScale);
        w.key("output_zero_point").value(layer.outputZeroPoint);
        w.key("input").value(layer.inputTensor);
        w.key("output").value(layer.outputTensor);
        w.key("channels").beginArray();
        for (const ChannelAnalysis& ch : layer.channels)
            writeChannel(w, ch);
        w.endArray();
        w.endObject();
    }
    w.endArray();

    w.key("standalone_bn").beginArray();
    for (const StandaloneBn& bn : a.standalone)
        w.value(bn.name);
    w.endArray();
    w.key("standalone_bn_reasons").beginArray();
    for (const StandaloneBn& bn : a.standalone) {
        w.beginObject();
        w.key("name").value(bn.name);
        w.key("reason").value(bn.reason);
        w.endObject();
    }
    w.endArray();

    w.key("summary").beginObject();
    w.key("pairs").value(a.summary.pairs);
    w.key("channels").value(a.summary.channels);
    w.key("out_of_range").value(a.summary.outOfRange);
    w.key("crushed").value(a.summary.crushed);
    w.key("max_bits").value(a.summary.maxBits);
    w.key("unfixable").value(a.summary.unfixable);
    w.endObject();
    if (activation) {
        w.key("activation_diagnosis").beginObject();
        w.key("tensors");
        writeDiagnosedTensorsJson(w, *activation);
        w.endObject();
    }
    w.endObject();
    return w.str() + "\n";
}

void writeAnalysisJson(const std::string& path, const FoldAnalysis& analysis,
                       const std::vector<TensorRangeDiagnosis>* activation)
{
    writeFileAtomically(path, analysisToJson(analysis, activation));
}

} // namespace bg
