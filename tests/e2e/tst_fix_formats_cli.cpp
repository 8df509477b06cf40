// biasguard-cli fix --format float|encodings|overlay and --save-plan, driven as a user would: exit
// codes, the files written, the refusals (the input as output, an unwritable path, bad options),
// the fixed model's `biasguard` metadata, the saved plan re-applied, and the encodings read back
// by run --mode int --encodings giving the calibrated run's outputs byte for byte.
#include "common/fixed_input.h"
#include "common/process_runner.h"
#include "common/test_paths.h"

#include "export/fix_provenance_json.h"
#include "fix/fix_plan.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "io/json_reader.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"

#include <onnx/onnx_pb.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

namespace {

bgtest::ProcessResult runCli(const QStringList& args)
{
    return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
}

QString demo() { return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")); }

// The `biasguard` metadata_props entry of an ONNX file, or "".
std::string provenanceOf(const QString& path)
{
    onnx::ModelProto model;
    if (!model.ParseFromString(bg::readWholeFile(path.toStdString())))
        return {};
    for (const auto& entry : model.metadata_props())
        if (entry.key() == bg::kProvenanceKey)
            return entry.value();
    return {};
}

} // namespace

class TestFixFormatsCli : public QObject {
    Q_OBJECT
private slots:
    void floatCarriesItsProvenance()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("fixed.onnx"), plan = dir.filePath("plan.json");
        const auto r = runCli({"fix", demo(), "--out", out, "--bias-bits", "12", "--save-plan", plan});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("wrote " + plan), qPrintable(r.out));
        const std::string json = provenanceOf(out);
        QVERIFY(!json.empty());
        const bg::JsonValue root = bg::parseJson(json, "metadata");
        QCOMPARE(root.find("format")->string(), std::string("biasguard-fix"));
        QCOMPARE(root.find("settings")->find("bias_bits")->number(), 12.0);
        QCOMPARE(root.find("settings")->find("strategy")->string(), std::string("auto"));
        // The plan in the model is the saved plan: the resolved strategy of every channel.
        const bg::FixPlan saved = bg::FixPlan::load(plan.toStdString());
        QVERIFY(bg::FixPlan::fromJsonValue(*root.find("plan"), "metadata") == saved);
        QVERIFY(saved.size() > 0);
        QCOMPARE(saved.entryCounts().at(bg::Strategy::Auto), int64_t(0));

        // Re-applied, the saved plan makes the same model, byte for byte.
        const QString again = dir.filePath("again.onnx");
        const auto r2 = runCli({"fix", demo(), "--out", again, "--bias-bits", "12", "--plan", plan});
        QVERIFY2(r2.code == 0, qPrintable(r2.err));
        QVERIFY(bg::readWholeFile(again.toStdString()) == bg::readWholeFile(out.toStdString()));
    }

    void encodingsRoundTripThroughRun()
    {
        QTemporaryDir dir;
        const QString enc = dir.filePath("demo.encodings");
        const QStringList settings = {"--weight-bits", "8", "--bias-bits", "8"};
        const auto r = runCli(QStringList{"fix", demo(), "--out", enc, "--format", "encodings"} + settings);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(bg::readJsonFile(enc.toStdString()).find("activation_encodings"));

        const QString inputs = dir.filePath("in");
        QDir().mkpath(inputs);
        bg::writeTensorProtoFile(QDir(inputs).filePath("input_0.pb").toStdString(), "image",
                                 bgtest::fixedTestInput({1, 3, 64, 64}));
        const QStringList run = QStringList{"run", demo(), "--mode", "int", "--input-dir", inputs} + settings;
        const auto calibrated = runCli(run + QStringList{"--output-dir", dir.filePath("a")});
        QVERIFY2(calibrated.code == 0, qPrintable(calibrated.err));
        const auto cached = runCli(run + QStringList{"--output-dir", dir.filePath("b"), "--encodings", enc});
        QVERIFY2(cached.code == 0, qPrintable(cached.err));
        QVERIFY(!cached.err.contains("calibration:"));  // no calibration ran
        const std::string a = bg::readWholeFile(dir.filePath("a/output_0.pb").toStdString());
        QVERIFY(!a.empty());
        QVERIFY(a == bg::readWholeFile(dir.filePath("b/output_0.pb").toStdString()));

        // analyze reads the same ranges back: its JSON is the calibrated one, byte for byte, up to the
        // activation diagnosis (the last member), which needs per-channel ranges that an encodings
        // file does not hold: empty there, and analyze says why.
        const QStringList analyze = QStringList{"analyze", demo()} + settings;
        const auto a1 = runCli(analyze + QStringList{"--json", dir.filePath("a.json")});
        const auto a2 = runCli(analyze + QStringList{"--json", dir.filePath("b.json"), "--encodings", enc});
        QVERIFY2(a1.code == 0 && a2.code == 0, qPrintable(a1.err + a2.err));
        auto beforeDiagnosis = [](const std::string& json) { return json.substr(0, json.find("\"activation_diagnosis\"")); };
        const std::string j1 = bg::readWholeFile(dir.filePath("a.json").toStdString());
        const std::string j2 = bg::readWholeFile(dir.filePath("b.json").toStdString());
        QVERIFY(j1.find("\"activation_diagnosis\"") != std::string::npos);
        QVERIFY(beforeDiagnosis(j1) == beforeDiagnosis(j2));
        QVERIFY(bg::readJsonFile(dir.filePath("b.json").toStdString()).find("activation_diagnosis")->find("tensors")->items().empty());
        QVERIFY(a2.out.contains("no per-channel ranges"));

        // A bad encodings file: exit 1, naming the file and the tensor.
        std::string text = bg::readWholeFile(enc.toStdString());
        const size_t at = text.find("\"bitwidth\": 8");
        QVERIFY(at != std::string::npos);
        text.replace(at, 13, "\"bitwidth\": 5");
        const QString bad = dir.filePath("bad.encodings");
        bg::writeFileAtomically(bad.toStdString(), text);
        const auto refused = runCli(run + QStringList{"--output-dir", dir.filePath("c"), "--encodings", bad});
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(bad) && refused.err.contains("activation_encodings['"), qPrintable(refused.err));
    }

    void overlay_data()
    {
        QTest::addColumn<QString>("figure");
        QTest::addColumn<QString>("colouring");
        QTest::newRow("default") << QString() << "thresholds";
        QTest::newRow("out_of_range") << "out_of_range" << "thresholds";
        QTest::newRow("sqnr_fixed") << "sqnr_fixed" << "gradient";
    }

    void overlay()
    {
        QFETCH(QString, figure);
        QFETCH(QString, colouring);
        QTemporaryDir dir;
        const QString out = dir.filePath("overlay.json");
        QStringList args = {"fix", demo(), "--out", out, "--format", "overlay", "--bias-bits", "8"};
        if (!figure.isEmpty())
            args << "--figure" << figure;
        const auto r = runCli(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const bg::JsonValue root = bg::readJsonFile(out.toStdString());
        const bg::Graph g = bg::loadModel(demo().toStdString());
        QVERIFY(root.isObject() && root.members().size() == 1);
        const bg::JsonValue& graph = root.members()[0].second;
        QVERIFY(graph.find(colouring.toStdString()));
        QCOMPARE(graph.find("results")->members().size(), size_t(7));  // the demo's 7 layers
        for (const auto& [node, value] : graph.find("results")->members())
            QVERIFY2(std::any_of(g.nodes.begin(), g.nodes.end(), [&](const bg::Node& n) { return n.name == node; }),
                     node.c_str());
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad format") << QStringList{"--format", "tflite"} << 2 << "--format must be one of";
        QTest::newRow("figure without overlay") << QStringList{"--figure", "bits"} << 2 << "--figure goes with";
        QTest::newRow("bad figure") << QStringList{"--format", "overlay", "--figure", "x"} << 2 << "'x' is not one of";
    }

    void refusals()
    {
        QFETCH(QStringList, extra);
        QFETCH(int, code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const auto r = runCli(QStringList{"fix", demo(), "--out", dir.filePath("x")} + extra);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("x")));
    }

    void neverTheInputNorAnUnwritablePath_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* f : {"float", "encodings", "overlay"})
            QTest::newRow(f) << QString(f);
    }

    void neverTheInputNorAnUnwritablePath()
    {
        QFETCH(QString, format);
        QTemporaryDir dir;
        const QString model = dir.filePath("demo.onnx");
        const std::string bytes = bg::readWholeFile(demo().toStdString());
        bg::writeFileAtomically(model.toStdString(), bytes);
        const auto same = runCli({"fix", model, "--out", model, "--format", format});
        QCOMPARE(same.code, 2);
        QVERIFY2(same.err.contains("never overwrites"), qPrintable(same.err));
        const auto plan = runCli({"fix", model, "--out", dir.filePath("o"), "--format", format, "--save-plan", model});
        QCOMPARE(plan.code, 2);
        QVERIFY(bg::readWholeFile(model.toStdString()) == bytes);
        const QString bad = dir.filePath("missing/dir/out");
        const auto r = runCli({"fix", model, "--out", bad, "--format", format});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(bad), qPrintable(r.err));
    }
};

QTEST_APPLESS_MAIN(TestFixFormatsCli)
#include "tst_fix_formats_cli.moc"
