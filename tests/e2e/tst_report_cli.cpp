// biasguard-cli report, driven as a user would: a PDF with the analysis and the comparison (no
// display needed), the analysis alone with --no-compare, and clear refusals of bad arguments.
#include "common/process_runner.h"
#include "common/test_paths.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

bgtest::ProcessResult runCli(const QStringList& args) { return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args); }

QString demo() { return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")); }

// "wrote PATH (N pages)" -> N, else -1.
int reportedPages(const QString& out)
{
    const auto m = QRegularExpression("\\((\\d+) pages?\\)").match(out);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class TestReportCli : public QObject {
    Q_OBJECT
private slots:
    void writesThePdf()
    {
        QTemporaryDir dir;
        const QString full = dir.filePath("full.pdf"), part = dir.filePath("part.pdf");
        const auto r = runCli({"report", demo(), "--bias-bits", "8", "--out", full});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(full);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(5) == "%PDF-");
        const auto analysisOnly = runCli({"report", demo(), "--bias-bits", "8", "--no-compare", "--out", part});
        QVERIFY2(analysisOnly.code == 0, qPrintable(analysisOnly.err));
        QVERIFY2(reportedPages(r.out) > reportedPages(analysisOnly.out) && reportedPages(analysisOnly.out) >= 1,
                 qPrintable(r.out + analysisOnly.out));
    }

    void refusals()
    {
        QTemporaryDir dir;
        QCOMPARE(runCli({"report", demo()}).code, 2);  // --out is required
        QCOMPARE(runCli({"report", demo(), "--out", dir.filePath("x.pdf"), "--plan", "p.json", "--strategy", "clamp"}).code, 2);
        const QString bad = dir.filePath("missing/x.pdf");
        const auto r = runCli({"report", demo(), "--no-compare", "--out", bad});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(bad), qPrintable(r.err));
        QVERIFY(!QFile::exists(bad));
        const auto missingModel = runCli({"report", dir.filePath("nope.onnx"), "--out", dir.filePath("y.pdf")});
        QCOMPARE(missingModel.code, 1);
        QVERIFY2(missingModel.err.contains("nope.onnx"), qPrintable(missingModel.err));
    }
};

QTEST_APPLESS_MAIN(TestReportCli)
#include "tst_report_cli.moc"
