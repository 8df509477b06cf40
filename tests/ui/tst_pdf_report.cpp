// The PDF report: written atomically with the analysis and, when given, the comparison; the page
// count the renderer reports is the one in the file; unwritable paths and a missing analysis are
// refused with the path named.
#include "folding/model_structure.h"
#include "common/test_paths.h"
#include "pdf_report.h"
#include "report_command.h"
#include "report_layer_section.h"
#include "sweep_plot.h"
#include "common/pdf_text.h"
#include "common/process_runner.h"

#include "folding/fold_pair_finder.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "sweep/bias_width_recommendation.h"
#include "sweep/fix_sensitivity.h"
#include "sweep/width_sweep.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
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

// The report's text from `heading` on, its whitespace (line breaks, table layout) collapsed.
QString sectionText(const QString& pdf, const QString& heading)
{
    const QString text = bgtest::pdfPageTexts(pdf).join(" ").simplified();
    const qsizetype at = text.indexOf(heading);
    return at < 0 ? QString() : text.mid(at);
}

// The subheading of a layer's section in the per-layer part.
QString layerSubheading(const bg::LayerAnalysis& l)
{
    return QString::fromStdString(l.name + " (" + l.op + " → " + (l.bn.empty() ? "no BN" : l.bn) + ")");
}

// A sweep row with one output whose clamp, fixed and exact-bias SQNRs are given.
bg::SweepRow row(int weightBits, int biasBits, double clamp, double fixed, double exact, int64_t outOfRange)
{
    bg::SweepRow r;
    r.weightBits = weightBits;
    r.biasBits = biasBits;
    r.outOfRange = outOfRange;
    r.channelsChanged = outOfRange;
    bg::SweepOutputFigures o;
    o.name = "y";
    o.clamp.sqnrDb = clamp;
    o.fixed.sqnrDb = fixed;
    o.exactBias.sqnrDb = exact;
    r.outputs.push_back(o);
    return r;
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

    // More layers with out-of-range channels than the report details: it shows the worst (by the
    // bits they need), says how many there are, and has one chart and one table per layer shown.
    void layerSectionShowsTheWorstLayers()
    {
        auto many = std::make_shared<bg::FoldAnalysis>(*input_.analysis);
        const auto layers = many->layers;
        for (int copy = 0; copy < 6; ++copy)
            for (bg::LayerAnalysis l : layers) {
                l.name = "copy" + std::to_string(copy) + "_" + l.name;
                many->layers.push_back(l);
            }
        size_t bad = 0;
        for (const auto& l : many->layers)
            bad += l.outOfRange > 0 || l.crushed > 0 ? 1 : 0;
        QVERIFY2(bad > kMaxReportedLayers, qPrintable(QString::number(bad)));
        ReportInput in = input_;
        in.analysis = many;
        in.comparison.reset();
        QTemporaryDir dir;
        writePdfReport(dir.filePath("many.pdf"), in);
        const QString text = bgtest::pdfPageTexts(dir.filePath("many.pdf")).join("\n");
        int minShown = 1 << 30, maxHidden = -1;
        size_t shown = 0;
        for (const auto& l : many->layers) {
            const bool listed = text.contains(layerSubheading(l));
            if (listed) {
                QVERIFY2(l.outOfRange > 0 || l.crushed > 0, l.name.c_str());
                minShown = std::min(minShown, l.maxBits);
                ++shown;
            } else if (l.outOfRange > 0 || l.crushed > 0) {
                maxHidden = std::max(maxHidden, l.maxBits);
            }
        }
        QCOMPARE(shown, kMaxReportedLayers);
        QVERIFY2(minShown >= maxHidden, qPrintable(QString("%1 < %2").arg(minShown).arg(maxHidden)));
        QVERIFY2(text.simplified().contains(QString("%1 layers have such channels; the %2 worst").arg(bad).arg(kMaxReportedLayers)),
                 qPrintable(text.left(4000)));
        // Each shown layer's chart (its title on the chart) and its table's header.
        QCOMPARE(text.count("merged bias against the"), static_cast<qsizetype>(shown));
        QVERIFY(text.count(QRegularExpression("Ch\\s+Why\\s+γ\\s+σ")) >= static_cast<qsizetype>(shown));
    }

    // With a sweep, the report recommends what recommendBiasWidths computes on the same rows, one
    // sentence per weight width, and draws the sweep chart; without one, no sweep section.
    void sweepRecommendationFollowsTheRows()
    {
        const auto model = bg::makeModelStructure(graph_);
        bg::SyntheticCalibrationSource source(graph_);
        bg::SweepOptions options;
        options.weightBits = {4, 8};
        options.biasBits = {8, 10, 12, 16, 24, 32};
        options.plan = bg::FixPlan(bg::Strategy::Auto);
        auto sweep = std::make_shared<bg::WidthSweep>(bg::sweepWidths(*model, ranges_, source, input_.analysis->settings, options));
        const std::vector<bg::BiasWidthRecommendation> recs = bg::recommendBiasWidths(sweep->rows);
        QCOMPARE(recs.size(), size_t{2});
        ReportInput in = input_;
        in.sweep = sweep;
        QTemporaryDir dir;
        writePdfReport(dir.filePath("sweep.pdf"), in);
        const QString text = sectionText(dir.filePath("sweep.pdf"), "Width sweep");
        QVERIFY2(!text.isEmpty(), "no sweep section");
        const QRegularExpression sentence(
            "W(\\d+): without the fix the register needs (\\d+ bits|more than any swept width); with the fix "
            "(\\d+ bits|more than any swept width)");
        auto width = [](const QString& words) { return words.endsWith(" bits") ? std::optional<int>(words.split(' ')[0].toInt()) : std::nullopt; };
        std::vector<bg::BiasWidthRecommendation> read;
        for (auto it = sentence.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            bg::BiasWidthRecommendation r;
            r.weightBits = m.captured(1).toInt();
            r.withoutFix = width(m.captured(2));
            r.withFix = width(m.captured(3));
            read.push_back(r);
        }
        QCOMPARE(read.size(), recs.size());
        for (size_t i = 0; i < recs.size(); ++i) {
            QCOMPARE(read[i].weightBits, recs[i].weightBits);
            QCOMPARE(read[i].withoutFix, recs[i].withoutFix);
            QCOMPARE(read[i].withFix, recs[i].withFix);
        }
        // The table: one line per row of the sweep, its widths and counts.
        for (const bg::SweepRow& r : sweep->rows)
            QVERIFY2(text.contains(QString("W%1 %2 %3 %4 %5 ").arg(r.weightBits).arg(r.biasBits).arg(r.outOfRange)
                                       .arg(r.unfixable).arg(r.channelsChanged)),
                     qPrintable(text));
        QVERIFY(sectionText(dir.filePath("sweep.pdf"), "Which layers are worth fixing").isEmpty());
        writePdfReport(dir.filePath("plain.pdf"), input_);
        QVERIFY(sectionText(dir.filePath("plain.pdf"), "Width sweep").isEmpty());
    }

    // The chart marks what the recommendation says, on hand-made rows: clamp within from 24 bits
    // on, the fix from 12 (10 bits passes by accident below a failing 11 and is not recommended).
    void sweepChartMarksTheRecommendation()
    {
        bg::WidthSweep sweep;
        const double exact = 40;
        for (int b : {8, 10, 11, 12, 16, 24, 32}) {
            const double fixed = b == 11 ? exact - 3 : b >= 10 ? exact - 0.5 : exact - 8;
            const double clamp = b >= 24 ? exact - 0.2 : exact - 20;
            sweep.rows.push_back(row(8, b, clamp, fixed, exact, b >= 24 ? 0 : 32 - b));
        }
        sweep.rows.push_back(row(4, 8, 1, 2, 30, 50));
        sweep.rows.push_back(row(4, 16, 1, 29.5, 30, 5));
        const auto recs = bg::recommendBiasWidths(sweep.rows);
        QCOMPARE(recs.size(), size_t{2});
        QCOMPARE(recs[0].weightBits, 8);
        QCOMPARE(recs[0].withoutFix, std::optional<int>(24));
        QCOMPARE(recs[0].withFix, std::optional<int>(12));
        QCOMPARE(recs[1].withoutFix, std::optional<int>());
        QCOMPARE(recs[1].withFix, std::optional<int>(16));
        SweepPlot chart;
        chart.setSweep(std::make_shared<const bg::WidthSweep>(sweep), recs);
        QCOMPARE(chart.graphCount(), 8);  // clamp, fixed, exact and out of range per weight width
        QCOMPARE(chart.markCount(), 3);   // a mark per width recommended
    }

    // With the sensitivity ranking, its table lists the ranked layers in the ranking's order (the
    // layer whose fix alone gains most first) and the summary names the fewest layers for 90 %.
    void sensitivityRankingComesFirst()
    {
        const auto model = bg::makeModelStructure(graph_);
        bg::SyntheticCalibrationSource source(graph_);
        auto sensitivity = std::make_shared<bg::FixSensitivity>(bg::analyzeFixSensitivity(
            *model, ranges_, *input_.analysis, source, bg::FixPlan(bg::Strategy::Auto)));
        QVERIFY2(sensitivity->layers.size() >= 2, "the demo at 12 bits should rank several layers");
        ReportInput in = input_;
        in.sensitivity = sensitivity;
        QTemporaryDir dir;
        writePdfReport(dir.filePath("sens.pdf"), in);
        const QString text = sectionText(dir.filePath("sens.pdf"), "Which layers are worth fixing");
        QVERIFY2(!text.isEmpty(), "no sensitivity section");
        const QString table = text.mid(text.indexOf("Channels by share of the error"));
        qsizetype last = -1;
        for (size_t i = 0; i < sensitivity->layers.size(); ++i) {
            const QString entry = QString("%1 %2 ").arg(i + 1).arg(QString::fromStdString(sensitivity->layers[i].layer));
            const qsizetype at = table.indexOf(entry);
            QVERIFY2(at > last, qPrintable(entry + " in " + table));
            last = at;
        }
        if (sensitivity->fixedSqnrDb > sensitivity->clampSqnrDb)
            QVERIFY2(text.contains(QString("Fixing the top %1 of %2 layers (%3 channels)")
                                       .arg(sensitivity->layersNeeded)
                                       .arg(sensitivity->layers.size())
                                       .arg(sensitivity->channelsNeeded)),
                     qPrintable(text.left(2000)));
    }

    // The report draws its charts as vectors (no embedded images) and its text is selectable.
    void chartsAreVectors()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v.pdf");
        writePdfReport(path, input_);
        const bgtest::ProcessResult images = bgtest::runProgram("pdfimages", {"-list", path});
        if (images.code != 0)
            QSKIP("pdfimages (poppler-utils) is not installed");
        // The listing's two header lines and nothing else.
        QCOMPARE(images.out.trimmed().split('\n').size(), 2);
        QVERIFY(bgtest::pdfPageTexts(path).join("").contains("bits the bias register needs"));
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

    // The GUI's command names the sweep and the sensitivity it shows, in widths the CLI reads back.
    void commandNamesTheSweep_data()
    {
        QTest::addColumn<std::vector<int>>("weights");
        QTest::addColumn<std::vector<int>>("bias");
        QTest::newRow("range") << std::vector<int>{8} << std::vector<int>{8, 9, 10, 11, 12};
        QTest::newRow("list") << std::vector<int>{4, 6} << std::vector<int>{16, 24, 32};
        QTest::newRow("two") << std::vector<int>{2, 3} << std::vector<int>{12, 13};
        QTest::newRow("defaults") << std::vector<int>{4, 8} << std::vector<int>{};
    }

    void commandNamesTheSweep()
    {
        QFETCH(std::vector<int>, weights);
        QFETCH(std::vector<int>, bias);
        ReportCommandParts parts;
        parts.modelPath = input_.modelPath;
        parts.outPath = "r.pdf";
        parts.sweep = true;
        parts.sweepWeightBits = weights;
        parts.sweepBiasBits = bias;
        parts.sensitivity = true;
        const QStringList args = reportCommand(parts);
        QVERIFY(args.contains("--sweep") && args.contains("--sensitivity"));
        auto valueOf = [&args](const QString& option) {
            const qsizetype at = args.indexOf(option);
            return at >= 0 && at + 1 < args.size() ? std::optional<QString>(args[at + 1]) : std::nullopt;
        };
        // What the CLI parses back (its defaults where the option is left out) is what was swept.
        const auto w = valueOf("--sweep-weight-bits"), b = valueOf("--sweep-bias-bits");
        QCOMPARE(bg::parseWidthList(w.value_or("4,8").toStdString(), "w"), weights);
        if (bias.empty())
            QVERIFY(!b);
        else
            QCOMPARE(bg::parseWidthList(b.value_or("8:32").toStdString(), "b"), bias);
        parts.sweep = parts.sensitivity = false;
        const QStringList plain = reportCommand(parts);
        QVERIFY(!plain.contains("--sweep") && !plain.contains("--sensitivity") && !plain.contains("--sweep-bias-bits"));
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
