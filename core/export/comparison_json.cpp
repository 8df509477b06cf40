#include "export/comparison_json.h"

#include "io/atomic_file.h"
#include "io/json_writer.h"
#include "export/settings_json.h"
#include "export/accuracy_json.h"
#include "export/activation_diagnosis_json.h"

namespace bg {

namespace {

void writeMetrics(JsonWriter& w, const ComparisonMetrics& m, bool withScale)
{
    w.beginObject();
    w.key("cosine").value(m.cosine);
    w.key("sqnr_db").value(m.sqnrDb);
    w.key("max_abs").value(m.maxAbs);
    w.key("mse").value(m.mse);
    if (m.top1)
        w.key("top1").value(*m.top1);
    if (withScale && m.rmseOverScale)
        w.key("rmse_over_scale").value(*m.rmseOverScale);
    w.endObject();
}

void writeChannels(JsonWriter& w, const std::vector<ChannelError>& channels)
{
    w.beginArray();
    for (const ChannelError& c : channels) {
        w.beginObject();
        w.key("channel").value(c.channel);
        w.key("mse").value(c.mse);
        w.key("max_abs").value(c.maxAbs);
        w.endObject();
    }
    w.endArray();
}

} // namespace

std::string comparisonToJson(const ModelComparison& c, const std::string& modelPath)
{
    JsonWriter w;
    w.beginObject();
    w.key("model").value(modelPath);
    w.key("settings");
    writeSettingsJson(w, c.settings);
    w.key("inputs").value(c.inputs);
    w.key("samples").value(static_cast<int64_t>(c.samples));

    w.key("outputs").beginArray();
    for (const OutputComparison& o : c.outputs) {
        w.beginObject();
        w.key("name").value(o.name);
        w.key("quantized");
        writeMetrics(w, o.quantized, false);
        w.key("fixed");
        writeMetrics(w, o.fixed, false);
        if (o.exactBias) {
            w.key("exact_bias");
            writeMetrics(w, *o.exactBias, false);
        }
        if (o.failedQuantized && o.failedFixed) {
            w.key("tolerance").beginObject();
            w.key("quantized_failed").value(*o.failedQuantized);
            w.key("quantized_passed").value(*o.failedQuantized == 0);
            w.key("fixed_failed").value(*o.failedFixed);
            w.key("fixed_passed").value(*o.failedFixed == 0);
            w.endObject();
        }
        if (o.accuracy) {
            w.key("accuracy");
            writeAccuracyJson(w, *o.accuracy);
        }
        w.endObject();
    }
    w.endArray();

    w.key("layers").beginArray();
    for (const LayerComparison& l : c.layers) {
        w.beginObject();
        w.key("name").value(l.name);
        w.key("op").value(l.op);
        w.key("tensor").value(l.tensor);
        w.key("folded").value(l.folded);
        w.key("output_scale").value(l.outputScale);
        w.key("out_of_range").value(l.outOfRange);
        w.key("changed_channels").value(l.changedChannels);
        w.key("quantized");
        writeMetrics(w, l.quantized, true);
        w.key("fixed");
        writeMetrics(w, l.fixed, true);
        if (l.exactBias) {
            w.key("exact_bias");
            writeMetrics(w, *l.exactBias, true);
        }
        w.key("isolated").beginObject();  // the layer alone on the float model's input to it
        w.key("quantized");
        writeMetrics(w, l.isolatedQuantized, true);
        w.key("fixed");
        writeMetrics(w, l.isolatedFixed, true);
        w.endObject();
        w.key("worst_channels").beginObject();
        w.key("quantized");
        writeChannels(w, l.worstQuantized);
        w.key("fixed");
        writeChannels(w, l.worstFixed);
        w.endObject();
        w.endObject();
    }
    w.endArray();

    w.key("overflow").beginObject();
    w.key("quantized").value(c.overflowQuantized);
    w.key("fixed").value(c.overflowFixed);
    w.endObject();
    w.key("saturated_biases").beginObject();
    w.key("quantized").value(c.saturatedBiasesQuantized);
    w.key("fixed").value(c.saturatedBiasesFixed);
    w.endObject();
    w.key("plan").beginObject();
    for (const auto& [s, n] : c.planCounts)
        w.key(strategyName(s)).value(n);
    w.key("unfolded").value(c.unfoldedChannels);
    w.key("unfolded_strategies").beginObject();
    for (const auto& [s, n] : c.unfoldedCounts)
        w.key(strategyName(s)).value(n);
    w.endObject();
    w.endObject();
    w.key("activation_diagnosis");
    writeActivationDiagnosisJson(w, c.activationDiagnosis, c.firstCollapse);
    w.endObject();
    return w.str() + "\n";
}

void writeComparisonJson(const std::string& path, const ModelComparison& comparison, const std::string& modelPath)
{
    writeFileAtomically(path, comparisonToJson(comparison, modelPath));
}

} // namespace bg
