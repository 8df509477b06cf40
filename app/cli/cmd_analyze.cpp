// biasguard-cli analyze: the per-channel merged-bias analysis (QUANT_SPEC §1–§5, §9).
#include "activation_printer.h"
#include "calibrated_model.h"
#include "cli_command.h"
#include "cli_parser.h"

#include "analysis/activation_diagnosis.h"
#include "analysis/fold_analysis.h"
#include "export/analysis_csv.h"
#include "export/analysis_json.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace bgcli {

namespace {

QString fmt(double v, int prec = 4)
{
    return QString::number(v, 'g', prec);
}

void printSummary(QTextStream& out, const bg::FoldAnalysis& a, const std::string& calibration)
{
    const bg::QuantSettings& s = a.settings;
    out << "model: " << QString::fromStdString(a.modelPath) << " (producer "
        << (a.producer.empty() ? QString("not recorded") : QString::fromStdString(a.producer))
        << ", opset " << a.opset << ")\n";
    out << "settings: weights " << s.weightBits << "-bit " << bg::granularityName(s.granularity) << ", activations "
        << s.activationBits << "-bit, bias " << s.biasBits << "-bit"
        << (s.target.empty() ? QString() : " (target " + QString::fromStdString(s.target) + ")") << "; calibration: " << QString::fromStdString(calibration)
        << "\n";
    out << "foldable pairs: " << a.summary.pairs << ", channels: " << a.summary.channels
        << ", out of range: " << a.summary.outOfRange << ", crushed: " << a.summary.crushed
        << ", max bits: " << a.summary.maxBits << ", standalone BN: " << a.standalone.size() << "\n";
    // What auto does with the out-of-range channels (the plan `compare` runs by default).
    out << "auto fix of the out-of-range channels: constant " << a.summary.autoConstant << ", separate "
        << a.summary.autoSeparate << " (weight scale widened on " << a.summary.autoWidened << "), unfixable "
        << a.summary.unfixable << "\n";
    for (const auto& bn : a.standalone)
        out << "  standalone BN " << QString::fromStdString(bn.name) << ": " << QString::fromStdString(bn.reason) << "\n";

    out << "\nlayers with out-of-range or crushed channels:\n";
    out << QString("  %1 %2 %3 %4 %5 %6\n").arg("layer", -34).arg("op", -13).arg("channels", 8).arg("out", 5).arg("crushed", 7).arg("max bits", 8);
    int listed = 0;
    for (const auto& l : a.layers) {
        if (l.outOfRange == 0 && l.crushed == 0)
            continue;
        ++listed;
        out << QString("  %1 %2 %3 %4 %5 %6\n")
                   .arg(QString::fromStdString(l.name), -34)
                   .arg(QString::fromStdString(l.op), -13)
                   .arg(static_cast<qlonglong>(l.channels.size()), 8)
                   .arg(static_cast<qlonglong>(l.outOfRange), 5)
                   .arg(static_cast<qlonglong>(l.crushed), 7)
                   .arg(l.maxBits, 8);
    }
    if (!listed)
        out << "  (none: every merged bias fits " << s.biasBits << " bits)\n";

    struct Ref {
        const bg::LayerAnalysis* layer;
        const bg::ChannelAnalysis* ch;
    };
    std::vector<Ref> all;
    for (const auto& l : a.layers)
        for (const auto& c : l.channels)
            all.push_back({&l, &c});
    std::stable_sort(all.begin(), all.end(), [](const Ref& x, const Ref& y) {
        if (x.ch->bits != y.ch->bits)
            return x.ch->bits > y.ch->bits;
        return std::fabs(x.ch->biasExact) > std::fabs(y.ch->biasExact);
    });
    out << "\nworst channels (most bias bits needed):\n";
    out << QString("  %1 %2 %3 %4 %5 %6 %7 %8\n").arg("layer", -34).arg("ch", 5).arg("gamma", 11).arg("fold a", 11)
               .arg("B_c", 12).arg("bits", 5).arg("sep bits", 8).arg("strategy", -9);
    for (size_t i = 0; i < std::min<size_t>(10, all.size()); ++i) {
        const auto& c = *all[i].ch;
        out << QString("  %1 %2 %3 %4 %5 %6 %7 %8%9\n")
                   .arg(QString::fromStdString(all[i].layer->name), -34)
                   .arg(static_cast<qlonglong>(c.channel), 5)
                   .arg(fmt(c.gamma), 11)
                   .arg(fmt(c.foldFactor), 11)
                   .arg(fmt(c.biasExact, 6), 12)
                   .arg(c.bits, 5)
                   .arg(c.bitsSeparated, 8)
                   .arg(QString(bg::strategyName(c.strategy)), -9)
                   .arg(c.outOfRange ? "  OUT OF RANGE" : "");
    }
}

} // namespace

int analyzeCommand(const QStringList& args)
{
    CliParser cli("Finds every foldable Conv/ConvTranspose/Gemm/MatMul -> BatchNormalization pair and reports, per "
                  "channel, the merged bias against the bias register (QUANT_SPEC.md sections 1-5, 9).",
                  "MODEL", "the .onnx model");
    cli.addSettingsOptions(false);
    cli.addCalibrationOptions();
    cli.addValueOption("json", "OUT.json", "write the machine-readable analysis (spec section 9)");
    cli.addValueOption("csv", "OUT.csv", "write one row per channel");
    if (auto code = cli.parse(args))
        return *code;
    const bg::QuantSettings settings = cli.settings();

    const CalibratedModel m = loadAndCalibrate(cli);
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m.graph(), m.model->pairs, settings, m.ranges);

    const std::vector<bg::TensorRangeDiagnosis> activation =
        bg::diagnoseActivationRanges(*m.model, m.ranges, settings.activationBits);

    QTextStream out(stdout);
    printSummary(out, analysis, m.calibration->description());
    printActivationDiagnosis(out, activation, 10);
    if (cli.isSet("json")) {
        bg::writeAnalysisJson(cli.value("json").toStdString(), analysis, &activation);
        out << "\nwrote " << cli.value("json") << "\n";
    }
    if (cli.isSet("csv")) {
        bg::writeAnalysisCsv(cli.value("csv").toStdString(), analysis);
        out << "wrote " << cli.value("csv") << "\n";
    }
    return Ok;
}

} // namespace bgcli
