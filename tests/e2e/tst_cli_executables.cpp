// The CLI's two executables (app/cli/gui_libraries.h): biasguard-cli needs no Qt GUI library, and
// what needs one — an image calibration folder, the PDF report — still works through it, handed
// over to biasguard-cli-full with the same result; without biasguard-cli-full beside it, it says so.
#include "common/process_runner.h"
#include "common/test_paths.h"

#include <QColor>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Result = bgtest::ProcessResult;

QString cli() { return QString::fromStdString(bgtest::cliPath()); }
QString fullCli() { return QString::fromStdString(bgtest::binaryPath("app/biasguard-cli-full")); }
QString demo() { return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")); }

// The shared libraries an executable names (readelf -d, NEEDED).
QStringList neededLibraries(const QString& executable)
{
    QProcess p;
    p.start("readelf", {"-d", executable});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    QStringList libs;
    const QRegularExpression needed(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
    for (auto it = needed.globalMatch(QString::fromUtf8(p.readAllStandardOutput())); it.hasNext();)
        libs << it.next().captured(1);
    return libs;
}

// Four noisy 48×48 RGB images (fixed seed).
void writeImages(const QString& dir)
{
    QRandomGenerator random(11);
    for (int k = 0; k < 4; ++k) {
        QImage image(48, 48, QImage::Format_RGB32);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixelColor(x, y, QColor(random.bounded(256), random.bounded(256), random.bounded(256)));
        QVERIFY(image.save(QString("%1/sample_%2.png").arg(dir).arg(k)));
    }
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCliExecutables : public QObject {
    Q_OBJECT
private slots:
    void leanCliNeedsNoGuiLibrary()
    {
        const QStringList lean = neededLibraries(cli());
        QVERIFY2(lean.contains("libQt6Core.so.6"), qPrintable(lean.join(' ')));
        for (const QString& lib : lean)
            QVERIFY2(!lib.contains("Qt6Gui") && !lib.contains("Qt6Widgets") && !lib.contains("QCustomPlot"), qPrintable(lib));
        // The check itself can fail: the full executable does name them.
        const QStringList full = neededLibraries(fullCli());
        QVERIFY2(full.contains("libQt6Gui.so.6") && full.contains("libQt6Widgets.so.6"), qPrintable(full.join(' ')));
    }

    void imageFolderIsHandedOver_data()
    {
        QTest::addColumn<bool>("equalsSign");
        QTest::newRow("--calib DIR") << false;
        QTest::newRow("--calib=DIR") << true;
    }

    void imageFolderIsHandedOver()
    {
        QFETCH(bool, equalsSign);
        QTemporaryDir dir;
        const QString images = dir.filePath("images");
        QVERIFY(QDir().mkpath(images));
        writeImages(images);
        const QStringList calib = equalsSign ? QStringList{"--calib=" + images} : QStringList{"--calib", images};
        // The same command line, the same --json path, once through each executable.
        const QString json = dir.filePath("analysis.json");
        const QStringList args = QStringList{"analyze", demo(), "--json", json} + calib;
        const Result viaLean = bgtest::runProgram(cli(), args);
        QVERIFY2(viaLean.code == 0, qPrintable(viaLean.err));
        const QByteArray leanJson = readAll(json);
        QVERIFY(!leanJson.isEmpty() && QFile::remove(json));
        const Result direct = bgtest::runProgram(fullCli(), args);
        QVERIFY2(direct.code == 0, qPrintable(direct.err));
        QCOMPARE(viaLean.out, direct.out);
        QCOMPARE(leanJson, readAll(json));
        // Calibrated on the images, not on the synthetic set: another summary.
        const Result synthetic = bgtest::runProgram(cli(), {"analyze", demo()});
        QVERIFY2(synthetic.code == 0, qPrintable(synthetic.err));
        QVERIFY(synthetic.out != viaLean.out);
    }

    void withoutFullCliTheReportSaysWhatIsMissing()
    {
        QTemporaryDir dir;
        const QString alone = dir.filePath("biasguard-cli");
        QVERIFY(QFile::copy(cli(), alone));
        QVERIFY(QFile::setPermissions(alone, QFile::permissions(cli())));
        const Result r = bgtest::runProgram(alone, {"report", demo(), "--out", dir.filePath("r.pdf")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(dir.filePath("biasguard-cli-full")) && r.err.contains("No such file"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("r.pdf")));
        // Commands that need no GUI library still run from the lone copy.
        const Result analyze = bgtest::runProgram(alone, {"analyze", demo()});
        QVERIFY2(analyze.code == 0, qPrintable(analyze.err));
    }
};

QTEST_GUILESS_MAIN(TestCliExecutables)
#include "tst_cli_executables.moc"
