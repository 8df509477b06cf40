// The main window opens a model in the background, shows its nodes, and reports a broken file
// through its typed failure signal instead of crashing.
#include "common/test_paths.h"
#include "main_window.h"
#include "node_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("BIASGUARD_NO_DIALOGS", "1"); }

    void opensModel()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        const QString path = QString::fromStdString(
            bgtest::sourcePath("resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        window.openModel(path);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().first().toString(), path);
        QVERIFY(window.graph());
        auto* nodes = window.findChild<NodeTableModel*>();
        QVERIFY(nodes);
        QCOMPARE(nodes->rowCount(), static_cast<int>(window.graph()->nodes.size()));
        QVERIFY(nodes->rowCount() > 35);
    }

    void reportsBrokenFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("broken.onnx");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an onnx model");
        f.close();
        MainWindow window;
        QSignalSpy failed(&window, &MainWindow::modelFailed);
        window.openModel(path);
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.first().first().toString().contains("broken.onnx"), qPrintable(failed.first().first().toString()));
        QVERIFY(!window.graph());
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
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
