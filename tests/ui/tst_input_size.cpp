// The input size of a model with dynamic H/W: the PaddleOCR classifier (1×3×H×W) opens at the
// synthetic default, and the form says so; typing 48x192 beside the calibration source and analysing
// again shows what the core's analysis gives at 48×192, the comparison runs at that size too, and
// the size is remembered for that model (a new window analyses it at 48×192 straight away).
#include "analysis_panel.h"
#include "calibration_opener.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "comparison_panel.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "settings_form.h"

#include "analysis/fold_analysis.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "folding/model_structure.h"
#include "model/model_loader.h"

#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString classifierPath()
{
    return QString::fromStdString(bgtest::sourcePath("resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"));
}

// The core's analysis of the classifier with synthetic samples of H×W (0×0: the default size).
bg::FoldAnalysis coreAnalysis(const bg::Graph& graph, int h, int w)
{
    bg::SyntheticShapeOptions shapes;
    if (h > 0)
        for (const bg::ValueInfo& in : graph.inputs) {
            shapes.dimSizes[in.name + ":2"] = h;
            shapes.dimSizes[in.name + ":3"] = w;
        }
    bg::SyntheticCalibrationSource source(graph, shapes);
    const auto model = bg::makeModelStructure(graph);
    const bg::RangeTable ranges = bg::calibrate(graph, model->pairs, source);
    return bg::analyzeFolds(graph, model->pairs, bg::QuantSettings{}, ranges);
}

// The per-layer figures the layer table shows, as one list to compare.
QStringList layerFigures(const bg::FoldAnalysis& a)
{
    QStringList out;
    for (const auto& l : a.layers)
        out << QString("%1 out=%2 bits=%3").arg(QString::fromStdString(l.name)).arg(l.outOfRange).arg(l.maxBits);
    return out;
}

QStringList shownFigures(const LayerTableModel& m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << QString("%1 out=%2 bits=%3")
                   .arg(m.index(r, LayerTableModel::NameColumn).data().toString())
                   .arg(m.index(r, LayerTableModel::OutOfRangeColumn).data(LayerTableModel::SortRole).toLongLong())
                   .arg(m.index(r, LayerTableModel::MaxBitsColumn).data(LayerTableModel::SortRole).toInt());
    return out;
}

bool analyse(MainWindow& window)
{
    QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
    window.analysisPanel()->analyze();
    return analysed.wait(60000);
}

} // namespace

class TestInputSize : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        settingsDir_ = bgtest::useTemporarySettings();
        graph_ = bg::loadModel(classifierPath().toStdString());
        QVERIFY(hasDynamicSpatialInput(graph_));
        atDefault_ = coreAnalysis(graph_, 0, 0);
        at48x192_ = coreAnalysis(graph_, 48, 192);
        // The test means something only if the two sizes give different figures.
        QVERIFY2(layerFigures(atDefault_) != layerFigures(at48x192_), qPrintable(layerFigures(at48x192_).join("; ")));
    }

    void changingTheSizeChangesTheCounts()
    {
        MainWindow window;
        auto* layers = window.findChild<LayerTableModel*>();
        SettingsForm* form = window.analysisPanel()->settingsForm();
        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(classifierPath());
        QVERIFY(analysed.wait(60000));
        // No size given: the form says which one is used, and it is the core's default.
        const QString fallback = QString("%1x%1").arg(defaultDynamicDimSize());
        QVERIFY2(form->inputSizeNote().contains(fallback), qPrintable(form->inputSizeNote()));
        QCOMPARE(shownFigures(*layers), layerFigures(atDefault_));
        QCOMPARE(window.analysisPanel()->analysis()->summary.outOfRange, atDefault_.summary.outOfRange);

        auto* field = window.findChild<QLineEdit*>("inputSize");
        QVERIFY(field && field->isEnabled());
        field->clear();
        QTest::keyClicks(field, "48x192");
        QVERIFY2(form->inputSizeNote().isEmpty(), qPrintable(form->inputSizeNote()));
        QVERIFY(analyse(window));
        const auto& shown = *window.analysisPanel()->analysis();
        QCOMPARE(shownFigures(*layers), layerFigures(at48x192_));
        QCOMPARE(shown.summary.outOfRange, at48x192_.summary.outOfRange);
        QCOMPARE(shown.summary.maxBits, at48x192_.summary.maxBits);
        QCOMPARE(shown.summary.channels, at48x192_.summary.channels);
        QVERIFY2(window.analysisPanel()->calibrationDescription().contains("[1,3,48,192]"),
                 qPrintable(window.analysisPanel()->calibrationDescription()));

        // The comparison reads its inputs at the analysed size (a wrong size would run 640×640).
        QSignalSpy compared(window.comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window.runComparison();
        QVERIFY(compared.wait(120000));
        QVERIFY2(QString::fromStdString(window.comparisonPanel()->comparison()->inputs).contains("[1,3,48,192]"),
                 qPrintable(QString::fromStdString(window.comparisonPanel()->comparison()->inputs)));
    }

    void theSizeIsRememberedPerModel()
    {
        // After the previous test analysed at 48x192, a new window starts the classifier at it.
        MainWindow window;
        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(classifierPath());
        QVERIFY(analysed.wait(60000));
        QCOMPARE(window.analysisPanel()->settingsForm()->inputSize(), QSize(192, 48));
        QCOMPARE(shownFigures(*window.findChild<LayerTableModel*>()), layerFigures(at48x192_));
        // A model with fixed sizes: the field is disabled and says why; the classifier's size is not applied.
        QVERIFY(analysed.count() == 1);
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(60000));
        QVERIFY(!window.findChild<QLineEdit*>("inputSize")->isEnabled());
        QVERIFY(!window.analysisPanel()->settingsForm()->inputSize().isValid());
    }

    void malformedSizeIsRefusedByName()
    {
        SettingsForm form;
        form.setDynamicInput(true, QSize(640, 640));
        auto* field = form.findChild<QLineEdit*>("inputSize");
        field->setText("48x");
        QVERIFY_THROWS_EXCEPTION(bg::Error, form.inputSize());
        QVERIFY(form.inputSizeNote().contains("not HxW"));
    }

private:
    QString settingsDir_;
    bg::Graph graph_;
    bg::FoldAnalysis atDefault_, at48x192_;
};

QTEST_MAIN(TestInputSize)
#include "tst_input_size.moc"
