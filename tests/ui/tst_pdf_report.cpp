// The PDF report: written atomically with the analysis and, when given, the comparison; the page
// count the renderer reports is the one in the file; unwritable paths and a missing analysis are
// refused with the path named.
#include "folding/model_structure.h"
#include "common/test_paths.h"
#include "pdf_report.h"

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
