// The Sensitivity tab (issue 12, GUI side) on the demo model: the ranking runs in the background on
// the analysis' model, ranges and plan; the table's first row is the layer whose fix alone gains
// most and the rows go down in gain; selecting a layer lists its channels by share; the summary
// names how many layers and channels give 90 % of the gain; "Use this plan" makes that plan the fix
// plan through the plan editor's undo stack, and undo restores the plan before it.
#include "analysis_panel.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "comparison_panel.h"
#include "main_window.h"
#include "plan_editor.h"
#include "sensitivity_channel_model.h"
#include "sensitivity_layer_model.h"
#include "sensitivity_panel.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <memory>

class TestSensitivityPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        bgtest::useTemporarySettings();
        window_ = std::make_unique<MainWindow>();
        window_->show();
        SensitivityPanel* panel = window_->sensitivityPanel();
        layerTester_ = std::make_unique<QAbstractItemModelTester>(panel->layerModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        channelTester_ = std::make_unique<QAbstractItemModelTester>(panel->channelModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        window_->openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(120000));
        QVERIFY(window_->analysisPanel()->analysis()->summary.outOfRange > 0);  // something to rank at the defaults
        QSignalSpy ranked(panel, &SensitivityPanel::sensitivityFinished);
        panel->runSensitivity();
        QVERIFY(ranked.wait(300000));
    }
    void cleanupTestCase()
    {
        layerTester_.reset();
        channelTester_.reset();
        window_.reset();
    }

    void firstRowGainsMost()
    {
        SensitivityPanel* panel = window_->sensitivityPanel();
        const auto s = panel->sensitivity();
        QVERIFY(s);
        SensitivityLayerModel* model = panel->layerModel();
        QVERIFY(model->rowCount() >= 2);
        QCOMPARE(model->rowCount(), int(s->layers.size()));
        // Every layer with out-of-range channels is ranked.
        int withOutOfRange = 0;
        for (const auto& l : window_->analysisPanel()->analysis()->layers)
            withOutOfRange += l.outOfRange > 0 ? 1 : 0;
        QCOMPARE(model->rowCount(), withOutOfRange);
        const bg::LayerSensitivity* best = &s->layers.front();
        for (const auto& l : s->layers)
            if (l.gainDb > best->gainDb)
                best = &l;
        QCOMPARE(model->index(0, SensitivityLayerModel::LayerColumn).data().toString(), QString::fromStdString(best->layer));
        for (int r = 1; r < model->rowCount(); ++r)
            QVERIFY(model->index(r - 1, SensitivityLayerModel::GainColumn).data(SensitivityLayerModel::SortRole).toDouble()
                    >= model->index(r, SensitivityLayerModel::GainColumn).data(SensitivityLayerModel::SortRole).toDouble());
        // Gain is the layer's SQNR over clamp everywhere.
        for (int r = 0; r < model->rowCount(); ++r) {
            const auto& l = s->layers[static_cast<size_t>(r)];
            QCOMPARE(l.gainDb, l.sqnrDb - s->clampSqnrDb);
        }
    }

    void selectingALayerListsItsChannels_data()
    {
        QTest::addColumn<int>("row");
        QTest::newRow("top layer") << 0;
        QTest::newRow("second layer") << 1;
    }
    void selectingALayerListsItsChannels()
    {
        QFETCH(int, row);
        SensitivityPanel* panel = window_->sensitivityPanel();
        QTableView* view = panel->layerView();
        view->selectionModel()->setCurrentIndex(panel->layerModel()->index(row, 0),
                                                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        SensitivityChannelModel* channels = panel->channelModel();
        QCOMPARE(channels->layerIndex(), row);
        const auto& layer = panel->sensitivity()->layers[static_cast<size_t>(row)];
        QCOMPARE(channels->rowCount(), int(layer.channels.size()));
        double total = 0, previous = 2;
        int outOfRange = 0;
        for (int r = 0; r < channels->rowCount(); ++r) {
            const double share = channels->index(r, SensitivityChannelModel::ShareColumn).data(SensitivityChannelModel::SortRole).toDouble();
            QVERIFY(share <= previous);  // ranked by share
            previous = share;
            total += share;
            outOfRange += channels->index(r, SensitivityChannelModel::OutOfRangeColumn).data(SensitivityChannelModel::SortRole).toBool();
        }
        QVERIFY(total <= 1.0 + 1e-9);
        QCOMPARE(int64_t(outOfRange), layer.outOfRange);
    }

    void summaryNamesTheSmallestPlan()
    {
        SensitivityPanel* panel = window_->sensitivityPanel();
        const auto s = panel->sensitivity();
        const QString text = panel->summaryText();
        QVERIFY(s->layersNeeded > 0);
        QVERIFY2(text.contains(QString("%1 of %2 layers").arg(s->layersNeeded).arg(s->layers.size())), qPrintable(text));
        QVERIFY2(text.contains(QString("%1 channels").arg(s->channelsNeeded)), qPrintable(text));
        QVERIFY2(text.contains("90 %"), qPrintable(text));
        // The rows in that plan are marked.
        for (int r = 0; r < panel->layerModel()->rowCount(); ++r)
            QCOMPARE(panel->layerModel()->index(r, SensitivityLayerModel::NeededColumn).data(SensitivityLayerModel::SortRole).toBool(),
                     size_t(r) < s->layersNeeded);
    }

    void useThisPlanIsUndoable()
    {
        SensitivityPanel* panel = window_->sensitivityPanel();
        PlanEditor* editor = window_->analysisPanel()->planEditor();
        const bg::FixPlan before = editor->plan();
        const bg::FixPlan needed = panel->sensitivity()->neededPlan;
        QVERIFY(!(needed == before));
        QVERIFY(panel->usePlanButton()->isEnabled());
        const int steps = editor->undoStack()->count();
        QTest::mouseClick(panel->usePlanButton(), Qt::LeftButton);
        QVERIFY(editor->plan() == needed);
        QCOMPARE(editor->undoStack()->count(), steps + 1);
        // The other views run it next.
        QVERIFY(window_->comparisonPanel()->plan() == needed);
        editor->undoStack()->undo();
        QVERIFY(editor->plan() == before);
        QVERIFY(window_->comparisonPanel()->plan() == before);
        editor->undoStack()->redo();
        QVERIFY(editor->plan() == needed);
        editor->undoStack()->undo();
    }

    void reportWithTheSensitivity()
    {
        QVERIFY(window_->sensitivityPanel()->sensitivity());
        QTemporaryDir dir;
        QString error;
        QVERIFY2(window_->exportReport(dir.filePath("report.pdf"), &error), qPrintable(error));
        QVERIFY(QFileInfo(dir.filePath("report.pdf")).size() > 0);
    }

    // A new analysis (other settings) clears the ranking: it was for the old ones.
    void newAnalysisClearsTheRanking()
    {
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        window_->analysisPanel()->analyze();
        QVERIFY(analysed.wait(120000));
        QVERIFY(!window_->sensitivityPanel()->sensitivity());
        QCOMPARE(window_->sensitivityPanel()->layerModel()->rowCount(), 0);
        QVERIFY(!window_->sensitivityPanel()->usePlanButton()->isEnabled());
    }

private:
    std::unique_ptr<MainWindow> window_;
    std::unique_ptr<QAbstractItemModelTester> layerTester_;
    std::unique_ptr<QAbstractItemModelTester> channelTester_;
};

QTEST_MAIN(TestSensitivityPanel)
#include "tst_sensitivity_panel.moc"
