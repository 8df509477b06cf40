// The Sweep tab and the Target box (issue 12, GUI side) on the demo model: the panel's rows are
// bg::sweepWidths' on the same model, ranges, inputs and plan (the GUI reuses the analysis'
// calibration); a click on a width, on the chart or in the table, sets the settings form's widths
// and re-analyses there; choosing a target sets the widths and granularity, editing one afterwards
// shows "Custom"; the choice persists and the analysis names it.
#include "analysis_panel.h"
#include "app_settings.h"
#include "calibration_opener.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "job_controls.h"
#include "main_window.h"
#include "plan_editor.h"
#include "settings_form.h"
#include "sweep_panel.h"
#include "sweep_plot.h"
#include "sweep_table_model.h"

#include "arithmetic/hardware_target.h"
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

class TestSweepPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        bgtest::useTemporarySettings();
        window_ = std::make_unique<MainWindow>();
        window_->resize(1400, 900);
        window_->show();
        tester_ = std::make_unique<QAbstractItemModelTester>(window_->sweepPanel()->tableModel(),
                                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        window_->openModel(demoPath());
        QVERIFY(analysed.wait(120000));
    }
    void cleanupTestCase()
    {
        tester_.reset();
        window_.reset();
    }

    // Same model, ranges, inputs, settings and plan: the same rows and the same recommendation.
    void rowsEqualTheCoreSweep()
    {
        SweepPanel* panel = window_->sweepPanel();
        const auto analysis = window_->analysisPanel()->analysis();
        const auto ranges = window_->analysisPanel()->ranges();
        // A plan edited by hand runs as the "fixed" run of every setting.
        QVERIFY(window_->analysisPanel()->planEditor()->setStrategy(worstLayer(), {0}, bg::Strategy::Clamp));
        panel->weightWidthsEdit()->setText("4,8");
        panel->biasWidthsEdit()->setText("14:17");
        runSweep();
        const auto shown = panel->sweep();
        QVERIFY(shown);

        auto model = bg::loadModelStructure(demoPath().toStdString());
        auto inputs = openCalibration(window_->analysisPanel()->calibrationPath(), model->graph, window_->analysisPanel()->imageOptions());
        bg::SweepOptions options;
        options.weightBits = {4, 8};
        options.biasBits = {14, 15, 16, 17};
        options.plan = window_->analysisPanel()->planEditor()->plan();
        const bg::WidthSweep expected = bg::sweepWidths(*model, *ranges, *inputs, analysis->settings, options);

        QCOMPARE(shown->rows.size(), expected.rows.size());
        QCOMPARE(shown->samples, expected.samples);
        SweepTableModel* table = panel->tableModel();
        QCOMPARE(table->rowCount(), int(expected.rows.size()));
        for (size_t i = 0; i < expected.rows.size(); ++i) {
            const bg::SweepRow& e = expected.rows[i];
            const bg::SweepRow& s = shown->rows[i];
            QCOMPARE(s.weightBits, e.weightBits);
            QCOMPARE(s.biasBits, e.biasBits);
            QCOMPARE(s.outOfRange, e.outOfRange);
            QCOMPARE(s.unfixable, e.unfixable);
            QCOMPARE(s.channelsChanged, e.channelsChanged);
            QCOMPARE(s.outputs.size(), e.outputs.size());
            for (size_t o = 0; o < e.outputs.size(); ++o)
                for (bg::SweepRun run : {bg::SweepRun::Clamp, bg::SweepRun::Fixed, bg::SweepRun::ExactBias}) {
                    QCOMPARE(bg::runFigures(s.outputs[o], run).sqnrDb, bg::runFigures(e.outputs[o], run).sqnrDb);
                    QCOMPARE(bg::runFigures(s.outputs[o], run).cosine, bg::runFigures(e.outputs[o], run).cosine);
                }
            // What the table shows is that row.
            const int r = static_cast<int>(i);
            QCOMPARE(table->index(r, SweepTableModel::BiasColumn).data().toInt(), e.biasBits);
            QCOMPARE(table->index(r, SweepTableModel::OutOfRangeColumn).data().toLongLong(), qlonglong(e.outOfRange));
            QCOMPARE(table->index(r, SweepTableModel::SqnrClampColumn).data(SweepTableModel::SortRole).toDouble(),
                     bg::worstFigures(e, bg::SweepRun::Clamp).sqnrDb);
            QCOMPARE(table->index(r, SweepTableModel::SqnrFixedColumn).data(SweepTableModel::SortRole).toDouble(),
                     bg::worstFigures(e, bg::SweepRun::Fixed).sqnrDb);
        }
        const auto recs = bg::recommendBiasWidths(expected.rows);
        QCOMPARE(table->recommendations().size(), recs.size());
        for (size_t i = 0; i < recs.size(); ++i) {
            QCOMPARE(table->recommendations()[i].withoutFix, recs[i].withoutFix);
            QCOMPARE(table->recommendations()[i].withFix, recs[i].withFix);
        }
        window_->analysisPanel()->planEditor()->undoStack()->undo();
    }

    void clickAWidthAnalysesThere_data()
    {
        QTest::addColumn<bool>("onChart");
        QTest::addColumn<int>("weightBits");
        QTest::addColumn<int>("biasBits");
        QTest::newRow("chart, W8 15-bit") << true << 8 << 15;
        QTest::newRow("chart, W4 17-bit") << true << 4 << 17;
        QTest::newRow("table, W4 14-bit") << false << 4 << 14;
        QTest::newRow("table, W8 16-bit") << false << 8 << 16;
    }
    void clickAWidthAnalysesThere()
    {
        QFETCH(bool, onChart);
        QFETCH(int, weightBits);
        QFETCH(int, biasBits);
        SweepPanel* panel = window_->sweepPanel();
        if (!panel->sweep())
            runSweep();
        window_->tabs()->setCurrentWidget(panel);
        QCoreApplication::processEvents();
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        if (onChart) {
            SweepPlot* plot = panel->plot();
            plot->replot();
            const auto at = plot->pointPosition(weightBits, biasBits, bg::SweepRun::Clamp);
            QVERIFY(at);
            QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, at->toPoint());
        } else {
            const int row = panel->tableModel()->rowOf(weightBits, biasBits);
            QVERIFY(row >= 0);
            QTableView* view = panel->tableView();
            const QModelIndex index = panel->tableModel()->index(row, SweepTableModel::BiasColumn);
            view->scrollTo(index);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(index).center());
        }
        const bg::QuantSettings form = window_->analysisPanel()->settingsForm()->settings();
        QCOMPARE(form.biasBits, biasBits);
        QCOMPARE(form.weightBits, weightBits);
        QVERIFY(analysed.wait(120000));
        QCOMPARE(window_->analysisPanel()->analysis()->settings.biasBits, biasBits);
        QCOMPARE(window_->analysisPanel()->analysis()->settings.weightBits, weightBits);
        // The sweep covers every width it ran: analysing at one keeps it on screen.
        QVERIFY(panel->sweep());
    }

    void choosingATargetSetsTheWidths_data()
    {
        QTest::addColumn<QString>("name");
        for (const bg::HardwareTarget& t : bg::builtinTargets())
            if (t.applies)
                QTest::newRow(t.name.c_str()) << QString::fromStdString(t.name);
    }
    void choosingATargetSetsTheWidths()
    {
        QFETCH(QString, name);
        SettingsForm form;
        auto* box = form.findChild<QComboBox*>("targetBox");
        QVERIFY(box);
        const int index = box->findData(name);
        QVERIFY(index > 0);
        // As a user's pick: the box's activated signal.
        box->setCurrentIndex(index);
        emit box->activated(index);
        const bg::HardwareTarget& t = bg::findTarget(name.toStdString());
        const bg::QuantSettings s = form.settings();
        QCOMPARE(s.weightBits, t.weightBits);
        QCOMPARE(s.activationBits, t.activationBits);
        QCOMPARE(s.biasBits, t.biasBits);
        QCOMPARE(int(s.granularity), int(t.granularity));
        QCOMPARE(QString::fromStdString(s.target), name);

        // Editing a width by hand: Custom, the widths as edited.
        QSpinBox* bias = nullptr;
        for (QSpinBox* spin : form.findChildren<QSpinBox*>())
            if (spin->maximum() == 32)
                bias = spin;
        QVERIFY(bias);
        bias->setValue(t.biasBits == 8 ? 9 : t.biasBits - 1);
        QCOMPARE(box->currentText(), QString("Custom"));
        QVERIFY(form.target().isEmpty());
        QVERIFY(form.settings().target.empty());
        QCOMPARE(form.settings().weightBits, t.weightBits);
    }

    // The rounding box (QuantSettings::arithmetic): what it shows is what settings() gives, a preset
    // leaves it alone, and it survives a restart.
    void arithmeticIsChosenKeptByPresetsAndRemembered()
    {
        const bg::QuantSettings before = AppSettings::quantSettings();
        SettingsForm form;
        auto* box = form.findChild<QComboBox*>("arithmetic");
        QVERIFY(box);
        QCOMPARE(int(form.settings().arithmetic), int(bg::Arithmetic::Exact));
        QSignalSpy changed(&form, &SettingsForm::changed);
        box->setCurrentIndex(box->findData(QString("onnxruntime")));
        QVERIFY(changed.count() > 0);
        QCOMPARE(int(form.settings().arithmetic), int(bg::Arithmetic::OnnxRuntime));
        QVERIFY(form.chooseTarget("tflite-int8"));
        QCOMPARE(int(form.settings().arithmetic), int(bg::Arithmetic::OnnxRuntime));
        AppSettings::setQuantSettings(form.settings());
        SettingsForm restarted;
        restarted.setSettings(AppSettings::quantSettings());
        QCOMPARE(int(restarted.settings().arithmetic), int(bg::Arithmetic::OnnxRuntime));
        QCOMPARE(restarted.findChild<QComboBox*>("arithmetic")->currentData().toString(), QString("onnxruntime"));
        AppSettings::setQuantSettings(before);  // as the tests after this one expect
    }

    void unavailableTargetsCannotBeChosen()
    {
        SettingsForm form;
        int unavailable = 0;
        for (const bg::HardwareTarget& t : bg::builtinTargets())
            if (!t.applies) {
                ++unavailable;
                QVERIFY(!form.chooseTarget(QString::fromStdString(t.name)));
                QVERIFY(form.target().isEmpty());
            }
        QVERIFY(unavailable > 0);  // the presets file lists some, saying why
        QVERIFY(!form.chooseTarget("no-such-chip"));
    }

    // The choice survives a restart (QSettings), and the analysis names it.
    void targetPersistsAndTheAnalysisNamesIt()
    {
        SettingsForm* form = window_->analysisPanel()->settingsForm();
        QVERIFY(form->chooseTarget("tflite-int8"));
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        window_->analysisPanel()->analyze();
        QVERIFY(analysed.wait(120000));
        QCOMPARE(window_->analysisPanel()->analysis()->settings.target, std::string("tflite-int8"));
        auto* controls = window_->analysisPanel()->findChild<JobControls*>();
        QVERIFY(controls);
        const QString title = QString::fromStdString(bg::findTarget("tflite-int8").title);
        QVERIFY2(controls->summary().contains(title.toHtmlEscaped()), qPrintable(controls->summary()));

        QCOMPARE(AppSettings::quantSettings().target, std::string("tflite-int8"));  // saved with the analysis
        SettingsForm restarted;
        restarted.setSettings(AppSettings::quantSettings());
        QCOMPARE(restarted.target(), QString("tflite-int8"));
        QCOMPARE(restarted.settings().biasBits, 32);
        // Widths edited after the choice come back as Custom.
        bg::QuantSettings edited = AppSettings::quantSettings();
        edited.biasBits = 20;
        AppSettings::setQuantSettings(edited);
        restarted.setSettings(AppSettings::quantSettings());
        QVERIFY(restarted.target().isEmpty());
        QCOMPARE(restarted.settings().biasBits, 20);
    }

    // The report written from the GUI carries the sweep that ran (and is written).
    void reportWithTheSweep()
    {
        QVERIFY(window_->sweepPanel()->sweep());
        QTemporaryDir dir;
        QString error;
        QVERIFY2(window_->exportReport(dir.filePath("report.pdf"), &error), qPrintable(error));
        QVERIFY(QFileInfo(dir.filePath("report.pdf")).size() > 0);
    }

    void badWidthListsSayWhy_data()
    {
        QTest::addColumn<QString>("weights");
        QTest::addColumn<QString>("biases");
        QTest::addColumn<QString>("named");
        QTest::newRow("not a list") << "4,8" << "8:x" << "bias widths";
        QTest::newRow("bias beyond 32") << "4" << "8:40" << "33 is out of range 8..32";
        QTest::newRow("weights beyond 8") << "4,9" << "16" << "9 is out of range 2..8";
    }
    void badWidthListsSayWhy()
    {
        QFETCH(QString, weights);
        QFETCH(QString, biases);
        QFETCH(QString, named);
        SweepPanel* panel = window_->sweepPanel();
        panel->weightWidthsEdit()->setText(weights);
        panel->biasWidthsEdit()->setText(biases);
        const auto before = panel->sweep();
        QSignalSpy finished(panel, &SweepPanel::sweepFinished);
        panel->runSweep();
        auto* controls = panel->findChild<JobControls*>();
        QVERIFY2(controls->summary().contains(named), qPrintable(controls->summary()));
        QCOMPARE(panel->sweep(), before);  // nothing ran
        QVERIFY(!finished.wait(200));
        panel->weightWidthsEdit()->setText("4,8");
        panel->biasWidthsEdit()->setText("8:32");
    }

private:
    static QString demoPath() { return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")); }
    std::string worstLayer() const
    {
        const auto a = window_->analysisPanel()->analysis();
        size_t worst = 0;
        for (size_t i = 0; i < a->layers.size(); ++i)
            if (a->layers[i].maxBits > a->layers[worst].maxBits)
                worst = i;
        return a->layers[worst].name;
    }
    void runSweep()
    {
        QSignalSpy finished(window_->sweepPanel(), &SweepPanel::sweepFinished);
        window_->sweepPanel()->runSweep();
        QVERIFY(finished.wait(300000));
    }

    std::unique_ptr<MainWindow> window_;
    std::unique_ptr<QAbstractItemModelTester> tester_;
};

QTEST_MAIN(TestSweepPanel)
#include "tst_sweep_panel.moc"
