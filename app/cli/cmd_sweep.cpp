// biasguard-cli sweep: the analysis and the comparison (clamp, fix, exact bias) at every weight
// width × bias width, calibrated once, and the recommended bias width per weight width (issue 12).
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "progress_printer.h"

#include "calibration/class_labels.h"
#include "export/sweep_csv.h"
#include "export/sweep_json.h"
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <QTextStream>

#include <cmath>

namespace bgcli {

namespace {

QString num(double v, int prec)
{
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    if (std::isnan(v))
        return "nan";
    return QString::number(v, 'f', prec);
}

std::optional<bg::TaskAccuracy> rowAccuracy(const bg::SweepRow& r)
{
    for (const bg::SweepOutputFigures& o : r.outputs)
        if (o.accuracy)
            return o.accuracy;
    return std::nullopt;
}

QString width(const std::optional<int>& b)
{
    return b ? QString("%1-bit").arg(*b) : QString("none in the sweep");
}

void printSweep(QTextStream& out, const bg::WidthSweep& sweep, const std::vector<bg::BiasWidthRecommendation>& recs,
                const QString& model)
{
    const bg::QuantSettings& s = sweep.settings;
    out << "model: " << model << "\n";
    out << "settings: activations " << s.activationBits << "-bit, weights " << bg::granularityName(s.granularity)
        << ", accumulator " << s.accumulatorBits << "-bit; fixed strategy: " << bg::strategyName(s.strategy) << "\n";
    if (!s.target.empty())
        out << "target: " << QString::fromStdString(s.target) << " (its " << s.biasBits
            << "-bit bias register is marked <- target)\n";
    out << "inputs: " << QString::fromStdString(sweep.inputs) << " (" << sweep.samples << " samples)\n";
    if (sweep.outputs.size() > 1)
        out << "outputs: " << sweep.outputs.size() << "; figures are the worst output's\n";
    const bool top1 = !sweep.rows.empty() && bg::worstFigures(sweep.rows.front(), bg::SweepRun::Clamp).top1;
    out << "\n"
        << QString("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10").arg("W", 2).arg("bias", 4).arg("out", 5).arg("unfix", 5)
               .arg("fixed", 6).arg("SQNR clamp", 11).arg("SQNR fixed", 11).arg("SQNR exact", 11).arg("cos clamp", 9)
               .arg("cos fixed", 9);
    if (top1)
        out << QString(" %1 %2").arg("top1 clamp", 10).arg("top1 fixed", 10);
    const std::optional<bg::TaskAccuracy> labelled = sweep.rows.empty() ? std::nullopt : rowAccuracy(sweep.rows.front());
    if (labelled)
        out << QString(" %1 %2 %3 %4").arg("acc float", 9).arg("acc clamp", 9).arg("acc fixed", 9).arg("acc exact", 9);
    out << "  within 1 dB\n";
    for (const bg::SweepRow& r : sweep.rows) {
        const bg::RunFigures c = bg::worstFigures(r, bg::SweepRun::Clamp);
        const bg::RunFigures f = bg::worstFigures(r, bg::SweepRun::Fixed);
        const bg::RunFigures e = bg::worstFigures(r, bg::SweepRun::ExactBias);
        out << QString("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10")
                   .arg(r.weightBits, 2)
                   .arg(r.biasBits, 4)
                   .arg(static_cast<qlonglong>(r.outOfRange), 5)
                   .arg(static_cast<qlonglong>(r.unfixable), 5)
                   .arg(static_cast<qlonglong>(r.channelsChanged), 6)
                   .arg(num(c.sqnrDb, 2), 11)
                   .arg(num(f.sqnrDb, 2), 11)
                   .arg(num(e.sqnrDb, 2), 11)
                   .arg(num(c.cosine, 5), 9)
                   .arg(num(f.cosine, 5), 9);
        if (top1)
            out << QString(" %1 %2").arg(num(c.top1.value_or(NAN), 3), 10).arg(num(f.top1.value_or(NAN), 3), 10);
        if (const auto a = rowAccuracy(r))
            out << QString(" %1 %2 %3 %4").arg(num(100 * a->floatModel, 1) + "%", 9).arg(num(100 * a->quantized, 1) + "%", 9)
                       .arg(num(100 * a->fixed, 1) + "%", 9).arg(a->exactBias ? num(100 * *a->exactBias, 1) + "%" : "-", 9);
        QString within;
        const std::vector<double> reference = bg::referenceSqnr(sweep.rows, r.weightBits);
        if (bg::withinReference(r, bg::SweepRun::Clamp, reference, 1.0))
            within += "clamp ";
        if (bg::withinReference(r, bg::SweepRun::Fixed, reference, 1.0))
            within += "fixed";
        out << "  " << within.trimmed();
        if (!s.target.empty() && r.biasBits == s.biasBits && r.weightBits == s.weightBits)
            out << "  <- target";
        out << "\n";
    }
    out << "\nrecommended bias register (smallest width from which on the run stays within 1 dB of the reference: "
           "the exact-bias run, or the naive fold at the widest width when no channel is out of range there and it "
           "is lower):\n";
    for (const bg::BiasWidthRecommendation& rec : recs) {
        out << "  W" << rec.weightBits << ": without fix " << width(rec.withoutFix) << ", with fix "
            << width(rec.withFix);
        if (rec.withFix)
            out << " (the fix changes " << rec.channelsChanged << " channels)";
        out << "; reference " << num(rec.referenceSqnrDb, 2) << " dB ("
            << (rec.reference == bg::ReferenceKind::ExactBias ? "exact bias" : "overflow-free naive fold") << ")\n";
    }
}

} // namespace

int sweepCommand(const QStringList& args)
{
    CliParser cli("Sweeps weight widths x bias widths: the analysis and the comparison (clamp, fix, exact bias) at "
                  "each, calibrated once, and recommends the bias register each weight width needs, without and "
                  "with the fix.",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true, true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("inputs", "PATH", "compare on this input set (same formats as --calib; default: the calibration set)");
    cli.addValueOption("labels", "LABELS.json", "class index per input sample (JSON array, in the order of the "
                                                "sample folders): report the task accuracy per setting");
    cli.addValueOption("json", "OUT.json", "write the sweep and the recommendation as JSON");
    cli.addValueOption("csv", "OUT.csv", "write the sweep as CSV (one line per setting and output)");
    if (auto code = cli.parse(args))
        return *code;
    bg::QuantSettings settings = cli.settings();
    bg::SweepOptions options;
    options.weightBits = cli.widthList("weight-bits");
    options.biasBits = cli.widthList("bias-bits");
    options.plan = cli.fixPlan(settings);
    options.progress = progressPrinter("sweep");
    if (cli.isSet("labels"))
        options.labels = bg::readClassLabels(cli.value("labels").toStdString());

    const CalibratedModel m = loadAndCalibrate(cli);
    const std::unique_ptr<bg::CalibrationSource> separateInputs = openComparisonInputs(cli, m.graph());
    bg::CalibrationSource& inputs = separateInputs ? *separateInputs : *m.calibration;
    const bg::WidthSweep sweep = bg::sweepWidths(*m.model, m.ranges, inputs, settings, options);
    const std::vector<bg::BiasWidthRecommendation> recs = bg::recommendBiasWidths(sweep.rows);
    QTextStream out(stdout);
    printSweep(out, sweep, recs, cli.positional());
    if (cli.isSet("json")) {
        bg::writeSweepJson(cli.value("json").toStdString(), sweep, recs);
        out << "\nwrote " << cli.value("json") << "\n";
    }
    if (cli.isSet("csv")) {
        bg::writeSweepCsv(cli.value("csv").toStdString(), sweep);
        out << (cli.isSet("json") ? "" : "\n") << "wrote " << cli.value("csv") << "\n";
    }
    return Ok;
}

} // namespace bgcli
