#include "export/accuracy_json.h"

namespace bg {

void writeAccuracyJson(JsonWriter& w, const TaskAccuracy& a)
{
    w.beginObject();
    w.key("output").value(a.output);
    w.key("samples").value(a.samples);
    w.key("float").value(a.floatModel);
    w.key("quantized").value(a.quantized);
    w.key("fixed").value(a.fixed);
    w.key("exact_bias");
    if (a.exactBias)
        w.value(*a.exactBias);
    else
        w.null();
    w.endObject();
}

} // namespace bg
