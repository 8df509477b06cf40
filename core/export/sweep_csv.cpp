#include "export/sweep_csv.h"

#include "io/atomic_file.h"
#include "io/json_writer.h"

namespace bg {

namespace {

// CSV's number: %.17g, inf/-inf/nan unquoted.
std::string csvNumber(double v)
{
    std::string s = JsonWriter::formatDouble(v);
    if (!s.empty() && s.front() == '"')
        s = s.substr(1, s.size() - 2);
    return s;
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

} // namespace

std::string sweepToCsv(const WidthSweep& sweep)
{
    std::string out = "weight_bits,bias_bits,output,out_of_range,unfixable,channels_changed";
    for (const char* run : {"clamp", "fixed", "exact_bias"})
        for (const char* field : {"sqnr_db", "cosine", "top1"})
            out += std::string(",") + run + "_" + field;
    out += "\n";
    for (const SweepRow& r : sweep.rows)
        for (const SweepOutputFigures& o : r.outputs) {
            out += std::to_string(r.weightBits) + "," + std::to_string(r.biasBits) + "," + csvField(o.name) + ","
                   + std::to_string(r.outOfRange) + "," + std::to_string(r.unfixable) + ","
                   + std::to_string(r.channelsChanged);
            for (SweepRun run : {SweepRun::Clamp, SweepRun::Fixed, SweepRun::ExactBias}) {
                const RunFigures& f = runFigures(o, run);
                out += "," + csvNumber(f.sqnrDb) + "," + csvNumber(f.cosine) + "," + (f.top1 ? csvNumber(*f.top1) : "");
            }
            out += "\n";
        }
    return out;
}

void writeSweepCsv(const std::string& path, const WidthSweep& sweep)
{
    writeFileAtomically(path, sweepToCsv(sweep));
}

} // namespace bg
