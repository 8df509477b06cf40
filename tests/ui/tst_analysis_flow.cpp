// The GUI flow a user follows: open the demo model, the analysis runs by itself, then the integer
// comparison. Checks what the panels show against the core's results, and every item model with
// QAbstractItemModelTester. With BIASGUARD_SCREENSHOT_DIR set, saves each tab as a PNG.
#include "analysis_job.h"
#include "analysis_panel.h"
#include "channel_table_model.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "comparison_panel.h"
#include "layer_comparison_model.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "metric_format.h"
#include "output_comparison_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

class TestAnalysisFlow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        bgtest::useTemporarySettings();
    }

    void demoModelEndToEnd()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        auto* layers = window.findChild<LayerTableModel*>();
        auto* channels = window.findChild<ChannelTableModel*>();
        auto* outputs = window.findChild<OutputComparisonModel*>();
        auto* layerCmp = window.findChild<LayerComparisonModel*>();
        QVERIFY(layers && channels && outputs && layerCmp);
        QAbstractItemModelTester t1(layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(channels, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(outputs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(layerCmp, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(60000));
        const auto analysis = window.analysisPanel()->analysis();
        QVERIFY(analysis);
        QCOMPARE(layers->rowCount(), static_cast<int>(analysis->layers.size()));
        QCOMPARE(analysis->summary.outOfRange, int64_t(10));  // the demo's ten slimmed channels
        int64_t shownOut = 0;
        for (int r = 0; r < layers->rowCount(); ++r)
            shownOut += layers->index(r, LayerTableModel::OutOfRangeColumn).data(LayerTableModel::SortRole).toLongLong();
        QCOMPARE(shownOut, analysis->summary.outOfRange);
        // The worst layer is selected on arrival: pwconv4 (its γ = 1e-7 channel needs 30 bits).
        QCOMPARE(QString::fromStdString(analysis->layers[static_cast<size_t>(channels->layerIndex())].name), QString("pwconv4"));
        QCOMPARE(channels->rowCount(), 64);
        QCOMPARE(channels->index(40, ChannelTableModel::BitsColumn).data().toInt(), 30);
        saveScreenshot(window, "analysis");

        QSignalSpy compared(window.comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window.comparisonPanel()->compare();
        QVERIFY(compared.wait(120000));
        const auto cmp = window.comparisonPanel()->comparison();
        QVERIFY(cmp);
        QCOMPARE(outputs->rowCount(), 1);
        QCOMPARE(layerCmp->rowCount(), static_cast<int>(cmp->layers.size()));
        // The table shows the comparison's figures, row for row.
        for (int r = 0; r < layerCmp->rowCount(); ++r) {
            const auto& l = cmp->layers[static_cast<size_t>(r)];
            QCOMPARE(layerCmp->index(r, LayerComparisonModel::NameColumn).data().toString(), QString::fromStdString(l.name));
            QCOMPARE(layerCmp->index(r, LayerComparisonModel::SqnrFixedColumn).data(LayerComparisonModel::SortRole).toDouble(),
                     l.fixed.sqnrDb);
            QCOMPARE(layerCmp->index(r, LayerComparisonModel::OutOfRangeColumn).data().toLongLong(), qlonglong(l.outOfRange));
        }
        // The demo's point: the saturated biases of the naive fold cost accuracy at the output,
        // and the auto plan (constant + gamma separation) saturates none.
        QVERIFY(cmp->saturatedBiasesQuantized > 0);
        QCOMPARE(cmp->saturatedBiasesFixed, int64_t(0));
        QVERIFY(cmp->outputs[0].fixed.sqnrDb > cmp->outputs[0].quantized.sqnrDb);
        QVERIFY(cmp->outputs[0].exactBias);
        QCOMPARE(outputs->index(0, OutputComparisonModel::SqnrExactBiasColumn).data().toString(),
                 formatDb(cmp->outputs[0].exactBias->sqnrDb));
        window.findChild<QTabWidget*>()->setCurrentWidget(window.comparisonPanel());
        saveScreenshot(window, "comparison");

        // File > Export Report: the PDF of what is on screen; an unwritable path is refused by name.
        QTemporaryDir dir;
        QString error;
        QVERIFY2(window.exportReport(dir.filePath("demo.pdf"), &error), qPrintable(error));
        QFile pdf(dir.filePath("demo.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        const QString bad = dir.filePath("no/such/dir/demo.pdf");
        QVERIFY(!window.exportReport(bad, &error));
        QVERIFY2(error.contains(bad), qPrintable(error));
    }

    void cancelStopsTheAnalysis()
    {
        MainWindow window;
        auto* job = window.findChild<AnalysisJob*>();
        QVERIFY(job);
        QSignalSpy cancelled(job, &AnalysisJob::cancelled);
        QSignalSpy finished(job, &AnalysisJob::finished);
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        // The detector at 640x640: 8 samples take seconds, so the cancel lands mid-calibration.
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx")));
        QVERIFY(loaded.wait(30000));
        QVERIFY(job->isRunning());
        window.analysisPanel()->cancel();
        QVERIFY(cancelled.wait(60000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!window.analysisPanel()->analysis());
    }

private:
    static void saveScreenshot(QWidget& w, const char* name)
    {
        const QByteArray dir = qgetenv("BIASGUARD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QCoreApplication::processEvents();
        QVERIFY(w.grab().save(QString("%1/%2.png").arg(QString::fromLocal8Bit(dir), name)));
    }
};

QTEST_MAIN(TestAnalysisFlow)
#include "tst_analysis_flow.moc"
