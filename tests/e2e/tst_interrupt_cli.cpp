// Nothing lost: biasguard-cli interrupted (SIGINT, SIGTERM) while it calibrates leaves no output, no
// temporary file and the input model byte for byte as it was. The signal is sent once the
// command has printed its first calibration progress line, so it lands inside the run whatever
// the machine's speed (the PaddleOCR detector at 640x640 calibrates for seconds).
#include "common/test_paths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

namespace {

QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestInterruptCli : public QObject {
    Q_OBJECT

private slots:
    void interruptedRunLeavesNothing_data();
    void interruptedRunLeavesNothing();
};

void TestInterruptCli::interruptedRunLeavesNothing_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("sig");
    QTest::newRow("fix, SIGINT") << "fix" << "fixed.onnx" << SIGINT;
    QTest::newRow("fix, SIGTERM") << "fix" << "fixed.onnx" << SIGTERM;
    QTest::newRow("report, SIGTERM") << "report" << "report.pdf" << SIGTERM;
    QTest::newRow("analyze --json, SIGINT") << "analyze" << "analysis.json" << SIGINT;
}

void TestInterruptCli::interruptedRunLeavesNothing()
{
    QFETCH(QString, command);
    QFETCH(QString, output);
    QFETCH(int, sig);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The model is copied into the output folder, so "nothing else there" also covers its folder.
    const QString model = dir.filePath("det.onnx");
    QVERIFY(QFile::copy(QString::fromStdString(bgtest::sourcePath("resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx")),
                        model));
    const QByteArray before = sha256(model);
    QVERIFY(!before.isEmpty());

    QProcess p;
    const QString out = dir.filePath(output);
    QStringList args{command, model, command == "analyze" ? "--json" : "--out", out};
    p.setReadChannel(QProcess::StandardError);  // waitForReadyRead waits on the progress lines
    p.start(QString::fromStdString(bgtest::cliPath()), args);
    QVERIFY(p.waitForStarted());
    QByteArray err;
    while (!err.contains("calibration: ")) {
        if (!p.waitForReadyRead(120000))
            QFAIL(qPrintable("no calibration progress: " + err + p.readAllStandardOutput()));
        err += p.readAllStandardError();
    }
    QCOMPARE(::kill(static_cast<pid_t>(p.processId()), sig), 0);
    QVERIFY(p.waitForFinished(120000));
    err += p.readAllStandardError();
    // Ended by the signal itself (the handler re-raises it), not by finishing.
    QVERIFY2(p.exitStatus() == QProcess::CrashExit, qPrintable("exit code " + QString::number(p.exitCode()) + ": " + err));

    QCOMPARE(sha256(model), before);
    const QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    QCOMPARE(left, QStringList{"det.onnx"});
}

QTEST_GUILESS_MAIN(TestInterruptCli)
#include "tst_interrupt_cli.moc"
