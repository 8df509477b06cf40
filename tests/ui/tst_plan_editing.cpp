// Editing the fix plan in the GUI: the PlanEditor value with undo/redo and its JSON files, and the
// whole flow on the demo model — override a channel in the channel table, undo/redo it, and see the
// integer comparison run the edited plan.
#include "analysis_panel.h"
#include "channel_table_model.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "comparison_panel.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "plan_controls.h"
#include "plan_editor.h"

#include "model/model_loader.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using bg::Strategy;

class TestPlanEditing : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        bgtest::useTemporarySettings();
    }

    void editUndoRedo()
    {
        PlanEditor editor;
        QSignalSpy changed(&editor, &PlanEditor::planChanged);
        QVERIFY(editor.setStrategy("conv2", {25}, Strategy::Clamp));
        QCOMPARE(int(editor.plan().strategyFor("conv2", 25)), int(Strategy::Clamp));
        QVERIFY(editor.setStrategy("conv2", {1, 2, 3}, Strategy::Widen));
        QCOMPARE(editor.overrides(), size_t(4));
        QVERIFY(!editor.setStrategy("conv2", {1, 2}, Strategy::Widen));  // nothing changes: no step
        QCOMPARE(editor.undoStack()->count(), 2);

        editor.undoStack()->undo();
        QCOMPARE(editor.overrides(), size_t(1));
        QVERIFY(!editor.plan().hasEntry("conv2", 1));
        editor.undoStack()->undo();
        QCOMPARE(editor.overrides(), size_t(0));
        editor.undoStack()->redo();
        editor.undoStack()->redo();
        QCOMPARE(editor.overrides(), size_t(4));
        // Auto removes the override rather than storing "auto".
        QVERIFY(editor.setStrategy("conv2", {25}, Strategy::Auto));
        QVERIFY(!editor.plan().hasEntry("conv2", 25));
        QCOMPARE(changed.count(), 7);  // 2 edits, 2 undos, 2 redos, 1 edit
        editor.reset();
        QCOMPARE(editor.overrides(), size_t(0));
        QCOMPARE(editor.undoStack()->count(), 0);
    }

    void saveAndLoad()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("plan.json");
        PlanEditor a;
        a.setStrategy("conv2", {25}, Strategy::Constant);
        a.setStrategy("pwconv4", {40, 41}, Strategy::Separate);
        QString error;
        QVERIFY2(a.save(path, &error), qPrintable(error));

        PlanEditor b;
        QVERIFY2(b.load(path, &error), qPrintable(error));
        QVERIFY(b.plan() == a.plan());
        b.undoStack()->undo();  // loading is one undoable step
        QCOMPARE(b.overrides(), size_t(0));

        // A broken file: refused with its name, the plan untouched.
        QFile broken(dir.filePath("broken.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"format\": \"biasguard-fix-plan\", \"version\": 1, \"layers\": [");
        broken.close();
        b.undoStack()->redo();
        QVERIFY(!b.load(broken.fileName(), &error));
        QVERIFY2(error.contains("broken.json"), qPrintable(error));
        QVERIFY(b.plan() == a.plan());
        // An unwritable destination: a message naming it, nothing written.
        const QString bad = dir.filePath("no/such/dir/plan.json");
        QVERIFY(!a.save(bad, &error));
        QVERIFY2(error.contains("no/such/dir"), qPrintable(error));
        QVERIFY(!QFile::exists(bad));
    }

    void overrideRunsInTheComparison()
    {
        MainWindow window;
        auto* channels = window.findChild<ChannelTableModel*>();
        QVERIFY(channels);
        QAbstractItemModelTester tester(channels, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(60000));
        const auto analysis = window.analysisPanel()->analysis();

        // conv2 channel 25: out of range at the default 16-bit bias, auto separates it.
        int conv2 = -1;
        for (size_t i = 0; i < analysis->layers.size(); ++i)
            if (analysis->layers[i].name == "conv2")
                conv2 = static_cast<int>(i);
        QVERIFY(conv2 >= 0);
        window.analysisPanel()->selectLayer(conv2);
        QCOMPARE(channels->layerIndex(), conv2);
        const QModelIndex cell = channels->index(25, ChannelTableModel::StrategyColumn);
        QCOMPARE(cell.data().toString(), QString("auto: separate"));
        QVERIFY(channels->flags(cell) & Qt::ItemIsEditable);

        // What the Plan cell's combo box does: setData with a strategy name.
        QVERIFY(channels->setData(cell, QString("clamp")));
        QVERIFY(!channels->setData(cell, QString("sideways")));  // not a strategy
        QCOMPARE(cell.data().toString(), QString("clamp"));
        QVERIFY(cell.data(Qt::FontRole).value<QFont>().bold());
        QUndoStack* stack = window.analysisPanel()->planEditor()->undoStack();
        stack->undo();
        QCOMPARE(cell.data().toString(), QString("auto: separate"));
        stack->redo();
        QCOMPARE(cell.data().toString(), QString("clamp"));
        QCOMPARE(int(window.comparisonPanel()->plan().strategyFor("conv2", 25)), int(Strategy::Clamp));

        // The comparison runs the edited plan: one separated channel fewer, its bias saturates.
        QSignalSpy compared(window.comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window.comparisonPanel()->compare();
        QVERIFY(compared.wait(120000));
        const auto cmp = window.comparisonPanel()->comparison();
        int64_t autoSeparate = 0;
        for (const auto& layer : analysis->layers)
            for (const auto& ch : layer.channels)
                autoSeparate += ch.autoStrategy == Strategy::Separate ? 1 : 0;
        QCOMPARE(cmp->planCounts.at(Strategy::Separate), autoSeparate - 1);
        QCOMPARE(cmp->saturatedBiasesFixed, int64_t(1));

        // "Apply to layer" with the controls' strategy: every channel of conv2 becomes widen.
        auto* controls = window.analysisPanel()->planControls();
        auto* combo = controls->findChild<QComboBox*>();
        combo->setCurrentText("widen");
        for (auto* b : controls->findChildren<QPushButton*>())
            if (b->text() == "Apply to layer")
                b->click();
        for (int r = 0; r < channels->rowCount(); ++r)
            QCOMPARE(channels->index(r, ChannelTableModel::StrategyColumn).data().toString(), QString("widen"));
        QCOMPARE(window.analysisPanel()->planEditor()->overrides(), size_t(channels->rowCount()));
        stack->undo();
        QCOMPARE(channels->index(25, ChannelTableModel::StrategyColumn).data().toString(), QString("clamp"));

        // File > Export Fixed Model writes the plan: conv2 has c25 on clamp now; separating c3 by hand
        // gives conv2 the Mul/Add of gamma separation (one Mul for the layer).
        QVERIFY(window.analysisPanel()->planEditor()->setStrategy("conv2", {3}, Strategy::Separate));
        QTemporaryDir out;
        QString error;
        QVERIFY2(window.exportFixedModel(out.filePath("fixed.onnx"), &error), qPrintable(error));
        const bg::Graph fixed = bg::loadModel(out.filePath("fixed.onnx").toStdString());
        int separations = 0;
        for (const auto& n : fixed.nodes)
            separations += n.opType == "Mul" && n.name.rfind("conv2_biasguard", 0) == 0 ? 1 : 0;
        QCOMPARE(separations, 1);
        QVERIFY(!window.exportFixedModel(window.graph()->path.c_str(), &error));  // never the input
        QVERIFY2(error.contains("never overwrites"), qPrintable(error));

        // A plan for another model is refused at load time, naming the file; the plan stays.
        {
            QTemporaryDir d;
            PlanEditor other;
            other.setStrategy("p2o.Conv.7", {0}, Strategy::Clamp);
            QVERIFY(other.save(d.filePath("cls_plan.json"), &error));
            const bg::FixPlan before = window.analysisPanel()->planEditor()->plan();
            QVERIFY(!window.analysisPanel()->planEditor()->load(d.filePath("cls_plan.json"), &error));
            QVERIFY2(error.contains("cls_plan.json") && error.contains("p2o.Conv.7"), qPrintable(error));
            QVERIFY(window.analysisPanel()->planEditor()->plan() == before);
        }

        // A new model starts from auto with no history.
        QSignalSpy analysedAgain(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        window.openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysedAgain.wait(60000));
        QCOMPARE(window.analysisPanel()->planEditor()->overrides(), size_t(0));
        QCOMPARE(stack->count(), 0);
    }
};

QTEST_MAIN(TestPlanEditing)
#include "tst_plan_editing.moc"
