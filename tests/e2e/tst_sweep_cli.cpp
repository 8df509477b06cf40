// biasguard-cli sweep, targets, --target and compare --sensitivity --save-plan, driven as a user
// would (QProcess): the sweep's JSON and CSV, every built-in preset loading and applying (its
// widths in the analysis JSON, its name in the settings), --target with explicit widths a usage
// error, and the saved sensitivity plan reaching 90 % of the whole plan's gain when compared.
#include "arithmetic/hardware_target.h"
#include "common/process_runner.h"
#include "common/test_paths.h"
#include "io/error.h"
#include "io/json_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const char* kDemo = "resources/models/demo/slimmed_cnn.onnx";

bgtest::ProcessResult runCli(const QStringList& args)
{
    return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
}

QString demo() { return QString::fromStdString(bgtest::sourcePath(kDemo)); }

// "clamp X dB, whole plan Y dB" and "(Z dB)" of the summary line in compare --sensitivity's output.
double sqnrAfter(const QString& text, const QString& label)
{
    const QRegularExpression re(QRegularExpression::escape(label) + " (-?[0-9.]+) dB");
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(1).toDouble() : std::nan("");
}

} // namespace

class TestSweepCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromStdString(bgtest::cliPath())))
            QSKIP("biasguard-cli is not built (BIASGUARD_BUILD_UI=OFF)");
        if (!QFileInfo::exists(demo()))
            QSKIP("demo model not generated yet");
    }

    void sweepWritesJsonAndCsv()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("sweep.json"), csv = dir.filePath("sweep.csv");
        const auto r = runCli({"sweep", demo(), "--weight-bits", "4", "--bias-bits", "8:12", "--json", json, "--csv", csv});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("recommended bias register"));
        QVERIFY(r.out.contains("W4: without fix"));
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        QCOMPARE(root.find("rows")->items().size(), size_t(5));
        QCOMPARE(root.find("settings")->find("bias_bits")->items().size(), size_t(5));
        QCOMPARE(root.find("recommended")->items().size(), size_t(1));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);  // header + 5 rows, one output
        QVERIFY(lines[0].startsWith("weight_bits,bias_bits,output,"));
    }

    void badRangeIsUsage()
    {
        const auto r = runCli({"sweep", demo(), "--bias-bits", "32:8"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--bias-bits"), qPrintable(r.err));
    }

    void targetsListsEveryPreset()
    {
        const auto r = runCli({"targets", "--sources"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const bg::HardwareTarget& t : bg::builtinTargets()) {
            QVERIFY2(r.out.contains(QString::fromStdString(t.name)), t.name.c_str());
            QVERIFY(!t.sources.empty());
            for (const bg::TargetSource& s : t.sources)
                QVERIFY2(QString::fromStdString(s.url).startsWith("https://"), s.url.c_str());
        }
        QVERIFY(bg::builtinTargets().size() >= 8);
    }

    // Every preset that applies sets its widths in the analysis; one that does not is a usage error
    // that says why.
    void eachPresetLoads_data()
    {
        QTest::addColumn<QString>("name");
        for (const bg::HardwareTarget& t : bg::builtinTargets())
            QTest::newRow(t.name.c_str()) << QString::fromStdString(t.name);
    }

    void eachPresetLoads()
    {
        QFETCH(QString, name);
        const bg::HardwareTarget& t = bg::findTarget(name.toStdString());
        QTemporaryDir dir;
        const QString json = dir.filePath("a.json");
        const auto r = runCli({"analyze", demo(), "--target", name, "--json", json});
        if (!t.applies) {
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("does not apply"), qPrintable(r.err));
            return;
        }
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("target " + name));
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        const bg::JsonValue* s = root.find("settings");
        QVERIFY(s && s->find("target"));
        QCOMPARE(s->find("target")->string(), name.toStdString());
        QCOMPARE(s->find("weight_bits")->number(), double(t.weightBits));
        QCOMPARE(s->find("activation_bits")->number(), double(t.activationBits));
        QCOMPARE(s->find("bias_bits")->number(), double(t.biasBits));
        QCOMPARE(s->find("granularity")->string(), std::string(bg::granularityName(t.granularity)));
    }

    void targetConflictsWithWidths_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::newRow("analyze --bias-bits") << "analyze" << "--bias-bits" << "16";
        QTest::newRow("compare --weight-bits") << "compare" << "--weight-bits" << "4";
        QTest::newRow("fix --granularity") << "fix" << "--granularity" << "per_tensor";
        QTest::newRow("report --activation-bits") << "report" << "--activation-bits" << "8";
        QTest::newRow("sweep --bias-bits") << "sweep" << "--bias-bits" << "8:16";
    }

    void targetConflictsWithWidths()
    {
        QFETCH(QString, command);
        QFETCH(QString, option);
        QFETCH(QString, value);
        const auto r = runCli({command, demo(), "--target", "tflite-int8", option, value});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--target") && r.err.contains(option), qPrintable(r.err));
    }

    void unknownTargetIsUsage()
    {
        const auto r = runCli({"analyze", demo(), "--target", "no-such-npu"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no-such-npu") && r.err.contains("tflite-int8"), qPrintable(r.err));
    }

    void sensitivitySavesAPlanThatReaches90Percent()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        const auto r = runCli({"compare", demo(), "--bias-bits", "8", "--sensitivity", "--save-plan", plan});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("summary:"), qPrintable(r.out));
        QVERIFY(QFileInfo::exists(plan));
        const double clamp = sqnrAfter(r.out, "clamp");
        const double whole = sqnrAfter(r.out, "whole plan");
        QVERIFY(whole > clamp);

        const auto again = runCli({"compare", demo(), "--bias-bits", "8", "--plan", plan});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        // The output row: name, cos quant, cos fixed, "SQNR quant dB", "SQNR fixed dB", ...
        const QRegularExpression row(R"(\n\S+\s+\S+\s+\S+\s+(-?[0-9.]+) dB\s+(-?[0-9.]+) dB)");
        const auto m = row.match(again.out);
        QVERIFY2(m.hasMatch(), qPrintable(again.out));
        QCOMPARE(m.captured(1).toDouble(), clamp);
        QVERIFY(m.captured(2).toDouble() - clamp >= 0.9 * (whole - clamp) - 0.01);  // printed at 2 decimals
    }

    void savePlanNeedsSensitivity()
    {
        QTemporaryDir dir;
        const auto r = runCli({"compare", demo(), "--save-plan", dir.filePath("p.json")});
        QCOMPARE(r.code, 2);
        QVERIFY(!QFileInfo::exists(dir.filePath("p.json")));
    }
};

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweep_cli.moc"
