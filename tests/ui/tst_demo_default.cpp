// The desktop application's default model is the trained demo: opening it selects the demo's own
// calibration set, the comparison then runs on its labelled test set, and opening another model
// afterwards drops the demo's calibration folder (its 3x24x24 samples fit no other model).
#include "analysis_panel.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "comparison_panel.h"
#include "main_window.h"
#include "settings_form.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QtTest>

class TestDemoDefault : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Not this user's remembered settings, and no dialog.
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        bgtest::useTemporarySettings();
    }

    void demoOpensWithItsSets()
    {
        const QString demo = MainWindow::bundledDemoModel();
        QCOMPARE(QFileInfo(demo).fileName(), QString("trained_slimmed_cnn.onnx"));
        const QString calib = MainWindow::bundledDemoFolder("calib");
        const QString tests = MainWindow::bundledDemoFolder("testset");
        QVERIFY(!calib.isEmpty() && !tests.isEmpty());
        QVERIFY(MainWindow::bundledDemoFolder("no-such-folder").isEmpty());

        MainWindow window;
        window.analysisPanel()->settingsForm()->setCalibrationPath({});
        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(demo);
        QVERIFY(analysed.wait(120000));
        QCOMPARE(window.analysisPanel()->settingsForm()->calibrationPath(), calib);
        QCOMPARE(window.analysisPanel()->calibrationPath(), calib);
        QVERIFY(window.analysisPanel()->analysis()->summary.outOfRange > 0);
        QCOMPARE(window.comparisonPanel()->inputsPath(), tests);

        // Another model: back to the synthetic samples, compared on them.
        analysed.clear();
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(120000));
        QVERIFY(window.analysisPanel()->settingsForm()->calibrationPath().isEmpty());
        QVERIFY(window.comparisonPanel()->inputsPath().isEmpty());
    }
};

QTEST_MAIN(TestDemoDefault)
#include "tst_demo_default.moc"
