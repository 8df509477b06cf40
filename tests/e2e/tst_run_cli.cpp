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
