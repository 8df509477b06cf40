#include "export/sweep_json.h"

#include "io/atomic_file.h"
#include "io/json_writer.h"
#include "export/accuracy_json.h"

namespace bg {

namespace {

void writeFigures(JsonWriter& w, const RunFigures& f)
{
    w.beginObject();
    w.key("sqnr_db").value(f.sqnrDb);
    w.key("cosine").value(f.cosine);
    if (f.top1)
        w.key("top1").value(*f.top1);
    w.endObject();
}

void writeWidths(JsonWriter& w, const std::vector<SweepRow>& rows, bool weight)
{
    std::vector<int> seen;
    for (const SweepRow& r : rows) {
        const int b = weight ? r.weightBits : r.biasBits;
        bool known = false;
        for (int s : seen)
            known = known || s == b;
        if (!known)
            seen.push_back(b);
    }
    w.beginArray();
    for (int b : seen)
        w.value(b);
    w.endArray();
}

void writeOptionalWidth(JsonWriter& w, const std::optional<int>& b)
{
    if (b)
        w.value(*b);
    else
        w.null();
}

} // namespace

std::string sweepToJson(const WidthSweep& sweep, const std::vector<BiasWidthRecommendation>& recommended)
{
    const QuantSettings& s = sweep.settings;
    JsonWriter w;
    w.beginObject();
    w.key("settings").beginObject();
    w.key("weight_bits");
    writeWidths(w, sweep.rows, true);
    w.key("activation_bits").value(s.activationBits);
    w.key("bias_bits");
    writeWidths(w, sweep.rows, false);
    w.key("granularity").value(granularityName(s.granularity));
    w.key("accumulator_bits").value(s.accumulatorBits);
    w.key("strategy").value(strategyName(s.strategy));
    if (!s.target.empty())
        w.key("target").value(s.target);
    w.endObject();

    w.key("rows").beginArray();
    for (const SweepRow& r : sweep.rows) {
        w.beginObject();
        w.key("weight_bits").value(r.weightBits);
        w.key("bias_bits").value(r.biasBits);
        w.key("out_of_range").value(r.outOfRange);
        w.key("unfixable").value(r.unfixable);
        w.key("clamp");
        writeFigures(w, worstFigures(r, SweepRun::Clamp));
        w.key("fixed");
        writeFigures(w, worstFigures(r, SweepRun::Fixed));
        w.key("exact_bias");
        writeFigures(w, worstFigures(r, SweepRun::ExactBias));
        for (const SweepOutputFigures& o : r.outputs)
            if (o.accuracy) {
                w.key("accuracy");
                writeAccuracyJson(w, *o.accuracy);
            }
        if (r.outputs.size() > 1) {
            w.key("outputs").beginArray();
            for (const SweepOutputFigures& o : r.outputs) {
                w.beginObject();
                w.key("name").value(o.name);
                w.key("clamp");
                writeFigures(w, o.clamp);
                w.key("fixed");
                writeFigures(w, o.fixed);
                w.key("exact_bias");
                writeFigures(w, o.exactBias);
                w.endObject();
            }
            w.endArray();
        }
        w.endObject();
    }
    w.endArray();

    w.key("recommended").beginArray();
    for (const BiasWidthRecommendation& rec : recommended) {
        w.beginObject();
        w.key("weight_bits").value(rec.weightBits);
        w.key("without_fix");
        writeOptionalWidth(w, rec.withoutFix);
        w.key("with_fix");
        writeOptionalWidth(w, rec.withFix);
        w.key("channels_changed").value(rec.channelsChanged);
        w.key("reference").value(rec.reference == ReferenceKind::ExactBias ? "exact_bias" : "overflow_free_clamp");
        w.key("reference_sqnr_db").value(rec.referenceSqnrDb);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.str() + "\n";
}

void writeSweepJson(const std::string& path, const WidthSweep& sweep,
                    const std::vector<BiasWidthRecommendation>& recommended)
{
    writeFileAtomically(path, sweepToJson(sweep, recommended));
}

} // namespace bg
