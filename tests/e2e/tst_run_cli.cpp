// biasguard-cli run --repeat N --threads T, driven as a user would: the timed runs change nothing
// of what is written, median_ms is the last line, and bad values are usage errors.
#include "common/process_runner.h"
#include "common/test_paths.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

bgtest::ProcessResult runCli(const QStringList& args)
{
    return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QString kDemo = QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
const QString kInputs = QString::fromStdString(bgtest::sourcePath("resources/models/demo/test_data_set_0"));

} // namespace

class TestRunCli : public QObject {
    Q_OBJECT
private slots:
    void repeatPrintsTheMedianLastAndWritesTheSameOutputs_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("float") << "float";
        QTest::newRow("int") << "int";
    }
    void repeatPrintsTheMedianLastAndWritesTheSameOutputs()
    {
        QFETCH(QString, mode);
        QTemporaryDir dir;
        const auto once = runCli({"run", kDemo, "--input-dir", kInputs, "--output-dir", dir.filePath("once"), "--mode", mode});
        QVERIFY2(once.code == 0, qPrintable(once.err));
        QVERIFY(!once.out.contains("median_ms"));
        const auto timed = runCli({"run", kDemo, "--input-dir", kInputs, "--output-dir", dir.filePath("timed"), "--mode",
                                   mode, "--repeat", "3", "--threads", "1"});
        QVERIFY2(timed.code == 0, qPrintable(timed.err));
        const QStringList lines = timed.out.trimmed().split('\n');
        QVERIFY2(QRegularExpression("^median_ms: [0-9]+\\.[0-9]{2}$").match(lines.last()).hasMatch(), qPrintable(timed.out));
        QVERIFY(lines.last().mid(11).toDouble() > 0.0);
        const QByteArray a = readAll(dir.filePath("once/output_0.pb"));
        QVERIFY(!a.isEmpty());
        QCOMPARE(readAll(dir.filePath("timed/output_0.pb")), a);
    }

    // --arithmetic: onnxruntime is named in what the run prints and keeps outputs deterministic; an
    // unknown name is refused with the accepted ones.
    void arithmeticSetting()
    {
        QTemporaryDir dir;
        const QStringList base{"run", kDemo, "--input-dir", kInputs, "--mode", "int"};
        const auto a = runCli(base + QStringList{"--output-dir", dir.filePath("a"), "--arithmetic", "onnxruntime"});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        QVERIFY2(a.out.contains("arithmetic onnxruntime"), qPrintable(a.out));
        const auto b = runCli(base + QStringList{"--output-dir", dir.filePath("b"), "--arithmetic", "onnxruntime"});
        QVERIFY2(b.code == 0, qPrintable(b.err));
        QVERIFY(!readAll(dir.filePath("a/output_0.pb")).isEmpty());
        QCOMPARE(readAll(dir.filePath("b/output_0.pb")), readAll(dir.filePath("a/output_0.pb")));
        const auto exact = runCli(base + QStringList{"--output-dir", dir.filePath("c")});
        QVERIFY2(exact.out.contains("arithmetic exact"), qPrintable(exact.out));
        const auto bad = runCli(base + QStringList{"--output-dir", dir.filePath("d"), "--arithmetic", "fast"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("arithmetic") && bad.err.contains("exact, onnxruntime"), qPrintable(bad.err));
    }

    void badValuesAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("negative repeat") << QStringList{"--repeat", "-1"};
        QTest::newRow("word repeat") << QStringList{"--repeat", "many"};
        QTest::newRow("zero threads") << QStringList{"--threads", "0"};
    }
    void badValuesAreUsageErrors()
    {
        QFETCH(QStringList, extra);
        QTemporaryDir dir;
        const auto r = runCli(QStringList{"run", kDemo, "--input-dir", kInputs, "--output-dir", dir.path()} + extra);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(extra.first()), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestRunCli)
#include "tst_run_cli.moc"
