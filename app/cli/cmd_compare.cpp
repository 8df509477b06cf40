// biasguard-cli compare: float model vs the integer pipeline with the naive fold ("quantized",
// every channel clamp) vs the integer pipeline with the fix plan ("fixed"), QUANT_SPEC §8.
#include "activation_printer.h"
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"
#include "progress_printer.h"

#include "analysis/fold_analysis.h"
#include "calibration/class_labels.h"
#include "comparison/model_comparison.h"
#include "export/comparison_json.h"
#include "fix/fix_plan.h"
#include "io/error.h"
#include "sweep/fix_sensitivity.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace bgcli {

namespace {

QString num(double v, int prec = 4)
{
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    if (std::isnan(v))
        return "nan";
    return QString::number(v, 'f', prec);
}

std::optional<double> doubleOption(const CliParser& cli, const char* name)
{
    if (!cli.isSet(name))
        return std::nullopt;
    bool ok = false;
    const double v = cli.value(name).toDouble(&ok);
    if (!ok || !(v >= 0))
        throw bg::Error(bg::ErrorCode::BadSetting, std::string("--") + name,
                        "'" + cli.value(name).toStdString() + "' is not a non-negative number");
    return v;
}

void printTable(QTextStream& out, const bg::ModelComparison& c, const QString& model, size_t worstLayers)
{
    const bg::QuantSettings& s = c.settings;
    out << "model: " << model << "\n";
    out << "settings: weights " << s.weightBits << "-bit " << bg::granularityName(s.granularity) << ", activations "
        << s.activationBits << "-bit, bias " << s.biasBits << "-bit, accumulator " << s.accumulatorBits
        << "-bit; fixed strategy: " << bg::strategyName(s.strategy)
        << (s.target.empty() ? QString() : "; target " + QString::fromStdString(s.target))
        << (s.arithmetic == bg::Arithmetic::Exact ? QString() : QString("; arithmetic ") + bg::arithmeticName(s.arithmetic))
        << "\n";
    out << "inputs: " << QString::fromStdString(c.inputs) << "\n";
    out << "plan:";
    for (const auto& [st, n] : c.planCounts)
        out << " " << bg::strategyName(st) << " " << n;
    out << " (channels of folded layers); layers without BN:";
    for (const auto& [st, n] : c.unfoldedCounts)
        out << " " << bg::strategyName(st) << " " << n;
    out << "\n";
    out << "accumulator overflows: quantized " << c.overflowQuantized << ", fixed " << c.overflowFixed
        << "; saturated biases: quantized " << c.saturatedBiasesQuantized << ", fixed " << c.saturatedBiasesFixed
        << "\n\n";

    out << QString("%1 %2 %3 %4 %5 %6 %7\n").arg("output", -28).arg("cos quant", 10).arg("cos fixed", 10)
               .arg("SQNR quant", 11).arg("SQNR fixed", 11).arg("exact bias", 11).arg("tolerance", -20);
    for (const bg::OutputComparison& o : c.outputs) {
        QString tol;
        if (o.failedQuantized && o.failedFixed)
            tol = QString("%1 / %2").arg(*o.failedQuantized == 0 ? "pass" : QString("FAIL %1").arg(*o.failedQuantized))
                      .arg(*o.failedFixed == 0 ? "pass" : QString("FAIL %1").arg(*o.failedFixed));
        out << QString("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(QString::fromStdString(o.name), -28)
                   .arg(num(o.quantized.cosine, 6), 10)
                   .arg(num(o.fixed.cosine, 6), 10)
                   .arg(num(o.quantized.sqnrDb, 2) + " dB", 11)
                   .arg(num(o.fixed.sqnrDb, 2) + " dB", 11)
                   .arg(o.exactBias ? num(o.exactBias->sqnrDb, 2) + " dB" : QString("-"), 11)
                   .arg(tol, -20);
        if (o.quantized.top1)
            out << QString("  top-1 agreement: quantized %1, fixed %2\n").arg(num(*o.quantized.top1, 3)).arg(num(*o.fixed.top1, 3));
        if (o.accuracy)
            out << QString("  accuracy (%1 labelled samples): float %2 %, quantized %3 %, fixed %4 %, exact bias %5\n")
                       .arg(o.accuracy->samples)
                       .arg(num(100 * o.accuracy->floatModel, 1))
                       .arg(num(100 * o.accuracy->quantized, 1))
                       .arg(num(100 * o.accuracy->fixed, 1))
                       .arg(o.accuracy->exactBias ? num(100 * *o.accuracy->exactBias, 1) + " %" : QString("-"));
    }
    if (!c.outputs.empty() && c.outputs.front().exactBias)
        out << "  (exact bias: reference run, every channel separate with 32-bit bias registers: what a bias fix can reach)\n";

    if (c.layers.empty())
        return;
    printFirstCollapse(out, c.firstCollapse, c.activationDiagnosis);
    std::vector<const bg::LayerComparison*> order;
    for (const auto& l : c.layers)
        order.push_back(&l);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return a->quantized.sqnrDb < b->quantized.sqnrDb;
    });
    out << "\nworst layers (by quantized SQNR):\n";
    out << "  (SQNR of the propagated run; 'alone' = the layer fed the float model's own input to it)\n";
    out << QString("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n").arg("layer", -34).arg("out", 4).arg("fixed", 5).arg("SQNR quant", 11)
               .arg("SQNR fixed", 11).arg("alone q", 9).arg("alone f", 9).arg("rmse/s q", 9).arg("worst ch (quantized)", -20);
    for (size_t i = 0; i < std::min(worstLayers, order.size()); ++i) {
        const bg::LayerComparison& l = *order[i];
        QString worst;
        for (const auto& ch : l.worstQuantized)
            worst += QString::number(ch.channel) + " ";
        out << QString("  %1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                   .arg(QString::fromStdString(l.name), -34)
                   .arg(static_cast<qlonglong>(l.outOfRange), 4)
                   .arg(static_cast<qlonglong>(l.changedChannels), 5)
                   .arg(num(l.quantized.sqnrDb, 2), 11)
                   .arg(num(l.fixed.sqnrDb, 2), 11)
                   .arg(num(l.isolatedQuantized.sqnrDb, 2), 9)
                   .arg(num(l.isolatedFixed.sqnrDb, 2), 9)
                   .arg(num(l.quantized.rmseOverScale.value_or(0.0), 3), 9)
                   .arg(worst.trimmed(), -20);
    }
}

void printSensitivity(QTextStream& out, const bg::FixSensitivity& s)
{
    const double fullGain = s.fixedSqnrDb - s.clampSqnrDb;
    out << "\nsensitivity: each layer with out-of-range channels fixed alone (every other channel clamp); "
           "SQNR of the worst output\n";
    out << "  clamp " << num(s.clampSqnrDb, 2) << " dB, whole plan " << num(s.fixedSqnrDb, 2) << " dB (gain "
        << num(fullGain, 2) << " dB)\n";
    out << QString("  %1 %2 %3 %4 %5 %6  %7\n").arg("#", 3).arg("layer", -34).arg("out", 4).arg("fixed", 5)
               .arg("SQNR", 9).arg("gain", 8).arg("channels by share of the layer's clamp error (* out of range)");
    for (size_t i = 0; i < s.layers.size(); ++i) {
        const bg::LayerSensitivity& l = s.layers[i];
        QString channels;
        for (size_t k = 0; k < std::min<size_t>(5, l.channels.size()); ++k)
            channels += QString("%1%2 %3%  ").arg(l.channels[k].channel).arg(l.channels[k].outOfRange ? "*" : "")
                            .arg(num(100 * l.channels[k].share, 1));
        out << QString("  %1 %2 %3 %4 %5 %6  %7\n")
                   .arg(static_cast<qulonglong>(i + 1), 3)
                   .arg(QString::fromStdString(l.layer), -34)
                   .arg(static_cast<qlonglong>(l.outOfRange), 4)
                   .arg(static_cast<qlonglong>(l.changedChannels), 5)
                   .arg(num(l.sqnrDb, 2), 9)
                   .arg(num(l.gainDb, 2), 8)
                   .arg(channels.trimmed());
    }
    if (!(fullGain > 0)) {
        out << "summary: the plan gains nothing over clamp; no layer is worth fixing\n";
        return;
    }
    out << "summary: " << s.layersNeeded << " of " << s.layers.size() << " layers (" << s.channelsNeeded
        << " channels) give " << num(100 * (s.neededSqnrDb - s.clampSqnrDb) / fullGain, 1) << " % of the whole plan's gain ("
        << num(s.neededSqnrDb, 2) << " dB)" << (s.reached ? "" : QString(", short of %1 %").arg(num(100 * s.fraction, 0)))
        << "\n";
}

} // namespace

int compareCommand(const QStringList& args)
{
    CliParser cli("Compares the float model with the integer pipeline, naive fold (every channel clamp) and with the "
                  "fix plan, per output and per fusion group (QUANT_SPEC.md sections 6-8).",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(true);
    cli.addCalibrationOptions();
    cli.addPlanOption();
    cli.addValueOption("inputs", "PATH", "compare on this input set (same formats as --calib; default: the calibration set)");
    cli.addValueOption("labels", "LABELS.json", "class index per input sample (JSON array, in the order of the "
                                                "sample folders): report the task accuracy");
    cli.addValueOption("json", "OUT.json", "write the machine-readable comparison");
    cli.addValueOption("atol", "A", "absolute tolerance of the pass/fail check (with --rtol)");
    cli.addValueOption("rtol", "R", "relative tolerance of the pass/fail check (with --atol)");
    cli.addValueOption("layers", "N", "worst layers to print", "10");
    cli.addFlag("sensitivity", "rank the layers by the output SQNR that fixing each alone gains, and find the fewest "
                               "that give 90 % of the whole plan's gain");
    cli.addValueOption("save-plan", "PLAN.json", "with --sensitivity: write that smallest plan (fix plan JSON)");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    bg::QuantSettings settings = cli.settings();
    const auto atol = doubleOption(cli, "atol");
    const auto rtol = doubleOption(cli, "rtol");
    if (atol.has_value() != rtol.has_value()) {
        err << args[0] << ": --atol and --rtol go together\n";
        return Usage;
    }
    bool okLayers = false;
    const int layers = cli.value("layers").toInt(&okLayers);
    if (!okLayers || layers < 0) {
        err << args[0] << ": --layers must be a non-negative whole number\n";
        return Usage;
    }

    if (cli.isSet("save-plan") && !cli.isSet("sensitivity")) {
        err << args[0] << ": --save-plan writes the plan --sensitivity finds; give --sensitivity too\n";
        return Usage;
    }

    const QString modelPath = cli.positional();
    bg::ComparisonOptions options;
    options.plan = cli.fixPlan(settings);
    options.atol = atol;
    options.rtol = rtol;
    options.progress = progressPrinter("compare");
    if (cli.isSet("labels"))
        options.labels = bg::readClassLabels(cli.value("labels").toStdString());

    const CalibratedModel m = loadAndCalibrate(cli);
    const std::unique_ptr<bg::CalibrationSource> separateInputs = openComparisonInputs(cli, m.graph());
    bg::CalibrationSource& inputs = separateInputs ? *separateInputs : *m.calibration;
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges);
    const bg::ModelComparison comparison = bg::compareModel(*m.model, m.ranges, analysis, inputs, options);
    QTextStream out(stdout);
    printTable(out, comparison, modelPath, static_cast<size_t>(layers));
    if (cli.isSet("json")) {
        bg::writeComparisonJson(cli.value("json").toStdString(), comparison, modelPath.toStdString());
        out << "\nwrote " << cli.value("json") << "\n";
    }
    if (cli.isSet("sensitivity")) {
        bg::SensitivityOptions so;
        so.progress = progressPrinter("sensitivity");
        const bg::FixSensitivity s = bg::analyzeFixSensitivity(*m.model, m.ranges, analysis, inputs, options.plan, so);
        printSensitivity(out, s);
        if (cli.isSet("save-plan")) {
            s.neededPlan.save(cli.value("save-plan").toStdString());
            out << "wrote " << cli.value("save-plan") << " (" << s.layersNeeded << " layers fixed, clamp elsewhere)\n";
        }
    }
    return Ok;
}

} // namespace bgcli
