// biasguard-cli report, driven as a user would: a PDF with the analysis and the comparison (no
// display needed), the analysis alone with --no-compare, the sweep and sensitivity sections with
// --sweep --sensitivity, the task accuracy with --labels, and clear refusals of bad arguments.
#include "common/pdf_text.h"
#include "common/process_runner.h"
#include "common/test_paths.h"

#include "io/json_reader.h"

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

    // --sweep and --sensitivity add their sections, computed as `sweep` and `compare --sensitivity`
    // compute them, and the reproduce command in the appendix names them.
    void sweepAndSensitivitySections()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("both.pdf");
        const QStringList args{"report", demo(), "--bias-bits", "12", "--sweep", "--sweep-weight-bits", "8",
                               "--sweep-bias-bits", "10,12,16", "--sensitivity", "--out", path};
        const auto r = runCli(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString text = bgtest::pdfPageTexts(path).join(" ").simplified();
        const qsizetype sweep = text.indexOf("Width sweep"), sensitivity = text.indexOf("Which layers are worth fixing");
        QVERIFY2(sweep > 0 && sensitivity > 0, qPrintable(text.left(3000)));
        QVERIFY2(text.contains(QRegularExpression("W8: without the fix the register needs")), qPrintable(text.mid(sweep, 3000)));
        QVERIFY2(text.mid(sensitivity).contains(QRegularExpression("Fixing the top \\d+ of \\d+ layers|gains nothing")),
                 qPrintable(text.mid(sensitivity, 3000)));
        // Each bias width of the sweep is a table row at W8.
        for (const char* b : {"10", "12", "16"})
            QVERIFY2(text.mid(sweep).contains(QString("W8 %1 ").arg(b)), b);
        // The command block wraps anywhere: compared without whitespace.
        const QString appendix = text.mid(text.indexOf("Appendix B")).remove(QRegularExpression("\\s"));
        QVERIFY2(appendix.contains(args.mid(4, 6).join("")), qPrintable(appendix));

        // Without the flags, neither section.
        const QString plain = dir.filePath("plain.pdf");
        QCOMPARE(runCli({"report", demo(), "--bias-bits", "12", "--no-compare", "--out", plain}).code, 0);
        const QString plainText = bgtest::pdfPageTexts(plain).join(" ");
        QVERIFY(!plainText.contains("Width sweep") && !plainText.contains("Which layers are worth fixing"));
    }

    // With --inputs and --labels (the trained demo's test set) the comparison section states the task
    // accuracy: the same fractions as compare --json on the same arguments.
    void taskAccuracyWithLabels()
    {
        const QString d = QString::fromStdString(bgtest::sourcePath("resources/models/demo"));
        const QStringList common{d + "/trained_slimmed_cnn.onnx", "--calib", d + "/calib", "--inputs", d + "/testset",
                                 "--labels", d + "/testset/labels.json"};
        QTemporaryDir dir;
        const QString pdf = dir.filePath("acc.pdf"), json = dir.filePath("acc.json");
        const auto r = runCli(QStringList{"report"} + common + QStringList{"--out", pdf});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(runCli(QStringList{"compare"} + common + QStringList{"--json", json}).code, 0);
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        const bg::JsonValue* acc = root.find("outputs")->items().at(0).find("accuracy");
        QVERIFY(acc);
        auto pct = [&](const char* key) { return QString::number(acc->find(key)->number() * 100.0, 'f', 1) + " %"; };
        const QString expected = QString("Task accuracy on %1 labelled samples (output %2): float %3, clamp %4, fixed %5")
                                     .arg(static_cast<qlonglong>(acc->find("samples")->number()))
                                     .arg(QString::fromStdString(acc->find("output")->string()), pct("float"),
                                          pct("quantized"), pct("fixed"));
        const QString text = bgtest::pdfPageTexts(pdf).join(" ").simplified();
        QVERIFY2(text.contains(expected), qPrintable(expected));
    }

    void refusals()
    {
        // The sweep's widths without --sweep, and a malformed width list: usage errors.
        QCOMPARE(runCli({"report", demo(), "--out", "x.pdf", "--sweep-bias-bits", "8:16"}).code, 2);
        const auto badList = runCli({"report", demo(), "--out", "x.pdf", "--sweep", "--sweep-bias-bits", "8:x"});
        QCOMPARE(badList.code, 2);
        QVERIFY2(badList.err.contains("--sweep-bias-bits"), qPrintable(badList.err));
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
