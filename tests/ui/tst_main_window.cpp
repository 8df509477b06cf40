// The main window as a desktop application: it opens a model from File ▸ Open, a drop, Open Recent
// or the command line, reports a broken file in its message bar while the model on screen stays
// usable, remembers settings, geometry, splitters and folders across a restart, names the versions
// in Help ▸ About, and every item model it shows passes QAbstractItemModelTester. QSettings live in
// a temporary folder (QSettings::setPath) so that no test reads or writes the user's.
#include "about_box.h"
#include "analysis_panel.h"
#include "app_settings.h"
#include "comparison_panel.h"
#include "common/test_paths.h"
#include "common/test_settings.h"
#include "common/pdf_text.h"
#include "common/process_runner.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "message_bar.h"
#include "node_table_model.h"
#include "plan_editor.h"
#include "recent_files.h"
#include "settings_form.h"
#include "window_actions.h"

#include "integer/int_kernel_info.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <memory>
#include <vector>

namespace {

QString demoPath()
{
    return QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
}

QString classifierPath()
{
    return QString::fromStdString(bgtest::sourcePath("resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"));
}

// Opens `path` and waits for the model (not the analysis) to arrive.
bool openAndWait(MainWindow& window, const QString& path)
{
    QSignalSpy loaded(&window, &MainWindow::modelLoaded);
    window.openModel(path);
    return loaded.wait(30000);
}

bool waitForAnalysis(MainWindow& window)
{
    if (window.analysisPanel()->analysis())
        return true;
    QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
    return analysed.wait(60000);
}

QString writeBrokenModel(const QTemporaryDir& dir)
{
    const QString path = dir.filePath("broken.onnx");
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write("this is not an onnx model");
    return path;
}

std::unique_ptr<QMimeData> urlsMime(const QStringList& paths)
{
    auto mime = std::make_unique<QMimeData>();
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime->setUrls(urls);
    return mime;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        settingsDir_ = bgtest::useTemporarySettings();
    }

    void init() { QSettings().clear(); }

    void settingsLiveInTheTestScope()
    {
        QVERIFY2(QSettings().fileName().startsWith(settingsDir_), qPrintable(QSettings().fileName()));
    }

    void opensModel()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, classifierPath()));
        QCOMPARE(window.modelPath(), classifierPath());
        QVERIFY(window.graph());
        auto* nodes = window.findChild<NodeTableModel*>();
        QVERIFY(nodes);
        QCOMPARE(nodes->rowCount(), static_cast<int>(window.graph()->nodes.size()));
        QVERIFY(nodes->rowCount() > 35);
    }

    void badFileKeepsThePreviousModel()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, demoPath()));
        QVERIFY(waitForAnalysis(window));
        const auto graph = window.graph();
        const auto analysis = window.analysisPanel()->analysis();
        QVERIFY(window.messageBar()->text().isEmpty());

        QTemporaryDir dir;
        const QString bad = writeBrokenModel(dir);
        QSignalSpy failed(&window, &MainWindow::modelFailed);
        window.openModel(bad);
        QVERIFY(failed.wait(30000));
        // The bar names the file and the problem (the core's message), and says what stays open.
        const QString shown = window.messageBar()->text();
        QVERIFY2(shown.contains(bad), qPrintable(shown));
        QVERIFY2(shown.contains(failed.first().first().toString()), qPrintable(shown));
        QVERIFY2(shown.contains("slimmed_cnn.onnx"), qPrintable(shown));
        QCOMPARE(window.messageBar()->kind(), MessageBar::Kind::Error);
        if (const QByteArray shots = qgetenv("BIASGUARD_SCREENSHOT_DIR"); !shots.isEmpty()) {
            window.resize(1400, 900);
            window.show();
            QCoreApplication::processEvents();
            QVERIFY(window.grab().save(QString::fromLocal8Bit(shots) + "/message_bar.png"));
        }
        // The previous model is still the one shown, analysed and exportable.
        QCOMPARE(window.graph(), graph);
        QCOMPARE(window.modelPath(), demoPath());
        QCOMPARE(window.analysisPanel()->analysis(), analysis);
        QString error;
        QVERIFY2(window.exportReport(dir.filePath("still.pdf"), &error), qPrintable(error));
        QVERIFY(!window.recentFiles()->files().contains(bad));
        // The next successful open clears the bar.
        QVERIFY(openAndWait(window, demoPath()));
        QVERIFY(window.messageBar()->text().isEmpty());
    }

    void opensByDragAndDrop_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("one model") << QStringList{demoPath()} << true;
        QTest::newRow("a text file, then a model") << QStringList{QString::fromStdString(bgtest::sourcePath("README.md")), demoPath()} << true;
        QTest::newRow("no model") << QStringList{QString::fromStdString(bgtest::sourcePath("README.md"))} << false;
    }

    void opensByDragAndDrop()
    {
        QFETCH(QStringList, files);
        QFETCH(bool, accepted);
        MainWindow window;
        const auto mime = urlsMime(files);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QCOMPARE(enter.isAccepted(), accepted);
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        if (!accepted) {
            QVERIFY(!drop.isAccepted());
            QVERIFY(!loaded.wait(500));
            QVERIFY(!window.graph());
            return;
        }
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().first().toString(), demoPath());
    }

    void opensARecentFile()
    {
        {
            MainWindow first;
            QVERIFY(openAndWait(first, classifierPath()));
            QVERIFY(openAndWait(first, demoPath()));
            QCOMPARE(first.recentFiles()->files(), (QStringList{demoPath(), classifierPath()}));
        }
        // A new window (as after a restart) lists them in File ▸ Open Recent, newest first.
        MainWindow window;
        QList<QAction*> entries;
        for (QAction* a : window.actions()->recentMenu->actions())
            if (!a->data().toString().isEmpty())
                entries << a;
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0]->data().toString(), demoPath());
        QCOMPARE(entries[1]->data().toString(), classifierPath());
        QVERIFY(entries[1]->isEnabled());
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        entries[1]->trigger();
        QVERIFY(loaded.wait(30000));
        QCOMPARE(window.modelPath(), classifierPath());
        QCOMPARE(window.recentFiles()->files().first(), classifierPath());
    }

    void settingsSurviveARestart()
    {
        QList<int> splitterSizes;
        QSize size;
        {
            MainWindow window;
            // Not the default size, and above the window's minimum.
            size = QSize(std::max(1234, window.minimumSizeHint().width() + 37), std::max(777, window.minimumSizeHint().height() + 23));
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(openAndWait(window, demoPath()));
            QVERIFY(waitForAnalysis(window));
            auto* form = window.analysisPanel()->settingsForm();
            bg::QuantSettings s = form->settings();
            s.biasBits = 12;
            s.weightBits = 6;
            form->setSettings(s);
            auto* body = window.findChild<QSplitter*>("analysisBody");
            QVERIFY(body);
            const int total = body->sizes().value(0) + body->sizes().value(1);
            body->setSizes({total / 4, total - total / 4});
            splitterSizes = body->sizes();
            AppSettings::rememberFolder("plan", QString::fromStdString(bgtest::sourcePath("resources/models/demo")));
            window.close();
        }
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), size);
        const bg::QuantSettings s = window.analysisPanel()->settingsForm()->settings();
        QCOMPARE(s.biasBits, 12);
        QCOMPARE(s.weightBits, 6);
        QCOMPARE(window.findChild<QSplitter*>("analysisBody")->sizes(), splitterSizes);
        QCOMPARE(AppSettings::lastFolder("plan"), QString::fromStdString(bgtest::sourcePath("resources/models/demo")));
        QCOMPARE(window.recentFiles()->files(), QStringList{demoPath()});
    }

    void aboutNamesTheVersions()
    {
        const QString text = aboutText();
        const bg::IntKernelInfo info = bg::intKernelInfo();
        QVERIFY2(text.contains(QStringLiteral(BIASGUARD_VERSION)), qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1(qVersion())), qPrintable(text));
        QVERIFY2(text.contains("ONNX 1."), qPrintable(text));
        QVERIFY2(text.contains(QString::fromStdString("oneDNN " + info.onednnVersion)), qPrintable(text));
        QVERIFY2(text.contains(QString::fromStdString(info.isa)), qPrintable(text));
    }

    void usualShortcuts_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QKeySequence>("keys");
        QTest::newRow("open") << "open" << QKeySequence(QKeySequence::Open);
        QTest::newRow("save plan") << "savePlan" << QKeySequence(QKeySequence::Save);
        QTest::newRow("export report") << "exportReport" << QKeySequence("Ctrl+E");
        QTest::newRow("undo") << "undo" << QKeySequence(QKeySequence::Undo);
        QTest::newRow("redo") << "redo" << QKeySequence(QKeySequence::Redo);
        QTest::newRow("run comparison") << "compare" << QKeySequence("Ctrl+R");
        QTest::newRow("find layer") << "findLayer" << QKeySequence(QKeySequence::Find);
    }

    void usualShortcuts()
    {
        QFETCH(QString, action);
        QFETCH(QKeySequence, keys);
        MainWindow window;
        const WindowActions* a = window.actions();
        const std::map<QString, QAction*> byName = {{"open", a->open},           {"savePlan", a->savePlan},
                                                    {"exportReport", a->exportReport}, {"undo", a->undo},
                                                    {"redo", a->redo},           {"compare", a->compare},
                                                    {"findLayer", a->findLayer}};
        QAction* act = byName.at(action);
        QVERIFY2(act->shortcuts().contains(keys), qPrintable(act->shortcut().toString()));
        // One action per key sequence in the whole window: no ambiguous shortcut.
        int owners = 0;
        for (QAction* other : window.findChildren<QAction*>())
            owners += other->shortcuts().contains(keys) ? 1 : 0;
        QCOMPARE(owners, 1);
    }

    void findLayerFiltersTheLayerTable()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, demoPath()));
        QVERIFY(waitForAnalysis(window));
        window.actions()->findLayer->trigger();
        auto* filter = window.findChild<QLineEdit*>("layerFilter");
        QVERIFY(filter);
        QTest::keyClicks(filter, "pwconv4");
        const auto analysis = window.analysisPanel()->analysis();
        int expected = 0;
        for (const auto& l : analysis->layers)
            expected += QString::fromStdString(l.name).contains("pwconv4", Qt::CaseInsensitive) ? 1 : 0;
        QVERIFY(expected >= 1);
        QTableView* layers = nullptr;
        auto* layerModel = window.findChild<LayerTableModel*>();
        for (auto* view : window.analysisPanel()->findChildren<QTableView*>())
            if (auto* proxy = qobject_cast<QSortFilterProxyModel*>(view->model()); proxy && proxy->sourceModel() == layerModel)
                layers = view;
        QVERIFY(layers);
        QCOMPARE(layers->model()->rowCount(), expected);
    }

    // File ▸ Export Report with a plan edited by hand: the plan is saved beside the PDF, the report's
    // command reads it, and running that command writes the same report.
    void exportedReportReproducesWithItsPlan()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, demoPath()));
        QVERIFY(waitForAnalysis(window));
        const auto analysis = window.analysisPanel()->analysis();
        const bg::LayerAnalysis& layer = analysis->layers.front();
        window.analysisPanel()->planEditor()->setStrategy(layer.name, {layer.channels.front().channel}, bg::Strategy::Widen);
        QSignalSpy compared(window.comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window.runComparison();
        QVERIFY(compared.wait(120000));
        QTemporaryDir dir;
        const QString pdf = dir.filePath("demo report.pdf");
        QString error;
        QVERIFY2(window.exportReport(pdf, &error), qPrintable(error));
        const QString plan = dir.filePath("demo report_plan.json");
        QVERIFY(QFile::exists(plan));
        const QStringList pages = bgtest::pdfPageTexts(pdf);
        QVERIFY(!pages.isEmpty());
        const QString text = bgtest::pdfTextWithoutDates(pages);
        QVERIFY2(text.contains("1 channel(s) set by hand"), qPrintable(text.left(2000)));

        // The command as the GUI recorded it (report_command.h builds the one printed).
        QStringList args{"report", demoPath(), "--plan", plan, "--out", dir.filePath("cli.pdf")};
        const bgtest::ProcessResult r = bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QString expected = bgtest::pdfTextWithoutDates(bgtest::pdfPageTexts(dir.filePath("cli.pdf")));
        // The two differ only in the --out of the printed command.
        expected.replace(dir.filePath("cli.pdf"), "'" + pdf + "'");
        QCOMPARE(text, expected);
    }

    // Every item model the window shows, through a load, an analysis and a comparison.
    void everyItemModelIsConsistent()
    {
        MainWindow window;
        std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
        const auto models = window.findChildren<QAbstractItemModel*>();
        QVERIFY(models.size() >= 5);  // nodes, layers, channels, outputs, layer comparison (and proxies)
        for (QAbstractItemModel* m : models)
            testers.push_back(std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
        QVERIFY(openAndWait(window, demoPath()));
        QVERIFY(waitForAnalysis(window));
        QSignalSpy compared(window.comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window.runComparison();
        QVERIFY(compared.wait(120000));
        QVERIFY(openAndWait(window, classifierPath()));  // every model reset to another model
        QVERIFY(waitForAnalysis(window));
    }

    void nodeModelIsConsistent()
    {
        NodeTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        auto graph = std::make_shared<bg::Graph>();
        bg::Node relu;
        relu.opType = "Relu";
        relu.inputs = {"x"};
        relu.outputs = {"y"};
        graph->nodes.push_back(relu);
        model.setGraph(graph);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, NodeTableModel::OpColumn).data().toString(), QString("Relu"));
        QCOMPARE(model.index(0, NodeTableModel::NameColumn).data().toString(), QString("y"));  // unnamed: first output
    }

private:
    QString settingsDir_;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
