// biasguard-cli analyze driven as a user would (QProcess): the summary, the §9 JSON and the CSV on
// the demo model, and clear messages with the documented exit codes for bad settings and files.
#include "common/process_runner.h"
#include "common/test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Result = bgtest::ProcessResult;

Result runCli(const QStringList& args) { return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args); }

QString demo() { return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")); }

} // namespace

class TestAnalyzeCli : public QObject {
    Q_OBJECT
private slots:
    void demoSummaryJsonCsv()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("a.json"), csv = dir.filePath("a.csv");
        const Result r = runCli({"analyze", demo(), "--json", json, "--csv", csv});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("foldable pairs: 7, channels: 282, out of range: 10"));
        // The demo's ten: eight slimmed to a constant, two separated (docs/SPEC_NOTES.md, Bias split).
        QVERIFY2(r.out.contains("auto fix of the out-of-range channels: constant 8, separate 2 (weight scale widened on 0), unfixable 0"), qPrintable(r.out));
        QVERIFY(r.out.contains("worst channels"));
        QVERIFY(r.out.contains("pwconv4"));  // the 30-bit channel heads the list

        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(root["settings"].toObject()["bias_bits"].toInt(), 16);
        QCOMPARE(root["settings"].toObject()["granularity"].toString(), QString("per_channel"));
        QCOMPARE(root["summary"].toObject()["out_of_range"].toInt(), 10);
        QCOMPARE(root["summary"].toObject()["max_bits"].toInt(), 30);
        const QJsonArray layers = root["layers"].toArray();
        QCOMPARE(layers.size(), 7);
        QCOMPARE(layers[0].toObject()["name"].toString(), QString("conv1"));
        QCOMPARE(layers[0].toObject()["channels"].toArray().size(), 16);
        const QJsonObject c5 = layers[0].toObject()["channels"].toArray()[5].toObject();
        QVERIFY(c5["out_of_range"].toBool());
        QCOMPARE(c5["bits"].toInt(), 25);

        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = c.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 1 + 282);  // header + one row per channel
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("bias bits out of range") << QStringList{"--bias-bits", "40"} << 2 << "bias_bits: 40 is out of range 8..32";
        QTest::newRow("weight bits not a number") << QStringList{"--weight-bits", "four"} << 2 << "not a whole number";
        QTest::newRow("bad granularity") << QStringList{"--granularity", "per_row"} << 2 << "per_channel, per_tensor";
        QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << 2 << "frobnicate";
        QTest::newRow("missing calibration folder") << QStringList{"--calib", "/nonexistent/calib"} << 1 << "/nonexistent/calib";
        QTest::newRow("unwritable json") << QStringList{"--json", "/nonexistent/dir/a.json"} << 1 << "/nonexistent/dir/a.json";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Result r = runCli(QStringList{"analyze", demo()} + args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void badModelFiles()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath("missing.onnx");
        Result r = runCli({"analyze", missing});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(missing), qPrintable(r.err));

        // The first half of the real demo model: a truncated file, named in the message.
        QFile src(demo());
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray bytes = src.readAll();
        const QString cut = dir.filePath("cut.onnx");
        QFile dst(cut);
        QVERIFY(dst.open(QIODevice::WriteOnly));
        dst.write(bytes.left(bytes.size() / 2));
        dst.close();
        r = runCli({"analyze", cut});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(cut) && r.err.contains("truncated"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestAnalyzeCli)
#include "tst_analyze_cli.moc"
