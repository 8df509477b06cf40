#include "export/activation_diagnosis_json.h"

namespace bg {

void writeDiagnosedTensorsJson(JsonWriter& w, const std::vector<TensorRangeDiagnosis>& tensors)
{
    w.beginArray();
    for (const TensorRangeDiagnosis& d : tensors) {
        w.beginObject();
        w.key("tensor").value(d.tensor);
        w.key("consumer").value(d.consumer);
        w.key("range").beginArray().value(d.lo).value(d.hi).endArray();
        w.key("median_channel_span").value(d.medianChannelSpan);
        w.key("ratio").value(d.ratio);
        w.key("est_cost_db").value(d.estCostDb);
        w.key("channels").value(d.channels);
        w.key("flagged").value(d.flagged());
        w.endObject();
    }
    w.endArray();
}

void writeActivationDiagnosisJson(JsonWriter& w, const std::vector<TensorRangeDiagnosis>& tensors,
                                  const std::optional<FirstCollapse>& firstCollapse)
{
    w.beginObject();
    w.key("tensors");
    writeDiagnosedTensorsJson(w, tensors);
    w.key("first_collapse");
    if (firstCollapse) {
        w.beginObject();
        w.key("layer").value(firstCollapse->layer);
        w.key("input_tensor").value(firstCollapse->inputTensor);
        w.key("sqnr_in_db").value(firstCollapse->sqnrInDb);
        w.key("sqnr_out_db").value(firstCollapse->sqnrOutDb);
        w.endObject();
    } else {
        w.null();
    }
    w.endObject();
}

} // namespace bg
