// The PDF report: written atomically with the analysis and, when given, the comparison; the page
// count the renderer reports is the one in the file; unwritable paths and a missing analysis are
// refused with the path named.
#include "folding/model_structure.h"
#include "common/test_paths.h"
#include "pdf_report.h"
#include "report_command.h"
#include "common/pdf_text.h"
#include "common/process_runner.h"

#include "folding/fold_pair_finder.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

int pagesInFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray pdf = f.readAll();
    if (!pdf.startsWith("%PDF-"))
        return -1;
    // Page objects are "/Type /Page"; the page tree is "/Type /Pages".
    return static_cast<int>(QString::fromLatin1(pdf).count(QRegularExpression("/Type\\s*/Page(?!s)")));
}

} // namespace

class TestPdfReport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        graph_ = bg::loadModel(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
        bg::SyntheticCalibrationSource source(graph_);
        ranges_ = bg::calibrate(graph_, bg::findFoldPairs(graph_), source);
        bg::QuantSettings s;
        s.biasBits = 12;
        input_.modelPath = QString::fromStdString(graph_.path);
        input_.calibration = QString::fromStdString(source.description());
        const auto model = bg::makeModelStructure(graph_);
        input_.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(graph_, model->pairs, s, ranges_));
        input_.comparison = std::make_shared<bg::ModelComparison>(
            bg::compareModel(*model, ranges_, *input_.analysis, source, bg::ComparisonOptions{}));
    }

    void writesAnalysisAndComparison()
    {
        QTemporaryDir dir;
        const QString full = dir.filePath("full.pdf"), part = dir.filePath("analysis.pdf");
        const int fullPages = writePdfReport(full, input_);
        QCOMPARE(pagesInFile(full), fullPages);
        ReportInput analysisOnly = input_;
        analysisOnly.comparison.reset();
        const int partPages = writePdfReport(part, analysisOnly);
        QCOMPARE(pagesInFile(part), partPages);
        QVERIFY(partPages >= 1);
        QVERIFY2(fullPages > partPages, qPrintable(QString("%1 vs %2").arg(fullPages).arg(partPages)));  // the comparison starts a page
        if (const QByteArray keep = qgetenv("BIASGUARD_REPORT_DIR"); !keep.isEmpty())
            QFile::copy(full, QString::fromLocal8Bit(keep) + "/report.pdf");
    }

    void everyPageHasHeaderAndNumber()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("numbered.pdf");
        const int pages = writePdfReport(path, input_);
        const QStringList texts = bgtest::pdfPageTexts(path);
        QCOMPARE(texts.size(), pages);
        for (int i = 0; i < pages; ++i) {
            QVERIFY2(texts[i].contains(QString("page %1 of %2").arg(i + 1).arg(pages)), qPrintable(texts[i]));
            QVERIFY2(texts[i].contains("BiasGuard report · slimmed_cnn.onnx"), qPrintable(texts[i]));
        }
    }

    // The verdict follows the analysis: the demo's slimmed channels break a 12-bit register, not a
    // 32-bit one; the appendix prints the register range of the settings used.
    void verdictAndFormulasFollowTheSettings_data()
    {
        QTest::addColumn<int>("biasBits");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("range");
        QTest::newRow("12-bit") << 12 << "The naive fold breaks" << "[-2048, 2047]";
        QTest::newRow("32-bit") << 32 << "Safe to fold" << "[-2147483648, 2147483647]";
    }

    void verdictAndFormulasFollowTheSettings()
    {
        QFETCH(int, biasBits);
        QFETCH(QString, verdict);
        QFETCH(QString, range);
        bg::QuantSettings s;
        s.biasBits = biasBits;
        const auto model = bg::makeModelStructure(graph_);
        ReportInput in = input_;
        in.comparison.reset();
        in.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(graph_, model->pairs, s, ranges_));
        QTemporaryDir dir;
        writePdfReport(dir.filePath("r.pdf"), in);
        const QString text = bgtest::pdfPageTexts(dir.filePath("r.pdf")).join("\n");
        QVERIFY2(text.contains(verdict), qPrintable(text.left(3000)));
        QVERIFY2(text.contains(range), qPrintable(text));
        // Each layer with an out-of-range channel has its worst-channels table, and only those.
        for (const auto& l : in.analysis->layers)
            QCOMPARE(text.contains(QString::fromStdString(l.name + " (" + l.op + " → " + l.bn + ")")), l.outOfRange > 0);
    }

    // A table longer than a page repeats its header on every page it continues on.
    void longTablesRepeatTheirHeader()
    {
        auto many = std::make_shared<bg::FoldAnalysis>(*input_.analysis);
        const auto layers = many->layers;
        for (int copy = 0; copy < 40; ++copy)
            for (bg::LayerAnalysis l : layers) {
                l.name = "copy" + std::to_string(copy) + "_" + l.name;
                l.outOfRange = 0;  // only the layer table grows, not the per-layer sections
                many->layers.push_back(l);
            }
        ReportInput in = input_;
        in.analysis = many;
        in.comparison.reset();
        QTemporaryDir dir;
        writePdfReport(dir.filePath("long.pdf"), in);
        const QStringList texts = bgtest::pdfPageTexts(dir.filePath("long.pdf"));
        int pagesWithRows = 0;
        for (const QString& page : texts) {
            if (!page.contains(QRegularExpression("copy\\d+_")))
                continue;
            ++pagesWithRows;
            QVERIFY2(page.contains(QRegularExpression("Layer\\s+Op\\s+Channels\\s+Out of range")), qPrintable(page));
        }
        QVERIFY2(pagesWithRows >= 3, qPrintable(QString::number(pagesWithRows)));
    }

    // The command in the appendix reproduces the report: run it, and the CLI's report reads the same
    // (but for the minute it was written).
    void commandReproducesTheReport()
    {
        QTemporaryDir dir;
        ReportCommandParts parts;
        parts.modelPath = input_.modelPath;
        parts.settings = input_.analysis->settings;
        parts.outPath = dir.filePath("cli report.pdf");  // a space: the printed command must quote it
        ReportInput in = input_;
        in.command = reportCommand(parts);
        writePdfReport(dir.filePath("gui.pdf"), in);
        const QString guiText = bgtest::pdfTextWithoutDates(bgtest::pdfPageTexts(dir.filePath("gui.pdf")));
        QVERIFY2(guiText.contains("Appendix B"), qPrintable(guiText));
        const QString shown = shellCommandLine(in.command);
        QVERIFY2(shown.contains("--bias-bits 12") && shown.contains("'" + parts.outPath + "'"), qPrintable(shown));
        QVERIFY2(guiText.contains(shown.left(60)), qPrintable(guiText.right(2000)));

        const bgtest::ProcessResult r = bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), in.command.mid(1));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(bgtest::pdfTextWithoutDates(bgtest::pdfPageTexts(parts.outPath)), guiText);
    }

    void refusesWhatItCannotWrite()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath("missing/dir/report.pdf");
        try {
            writePdfReport(bad, input_);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(e.code() == bg::ErrorCode::WriteFailed);
            QCOMPARE(QString::fromStdString(e.subject()), bad);
        }
        QVERIFY(!QFile::exists(bad));

        ReportInput none;
        none.modelPath = input_.modelPath;
        const QString path = dir.filePath("none.pdf");
        try {
            writePdfReport(path, none);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(e.code() == bg::ErrorCode::BadInput);
        }
        QVERIFY(!QFile::exists(path));
    }

private:
    bg::Graph graph_;
    bg::RangeTable ranges_;
    ReportInput input_;
};

QTEST_MAIN(TestPdfReport)
#include "tst_pdf_report.moc"
