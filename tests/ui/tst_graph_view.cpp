// The Graph tab: Graphviz lays out the real PP-OCRv4 detector (every operator a box, every data
// edge a spline from its producer's box to its consumer's), and on it and the demo a click on a
// foldable layer's node selects that layer in the analysis tab, and selecting a layer there selects
// its node.
#include "analysis_panel.h"
#include "common/test_paths.h"
#include "graph_layout.h"
#include "graph_panel.h"
#include "graph_view.h"
#include "main_window.h"

#include "folding/model_structure.h"

#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

#include <map>
#include <set>

class TestGraphView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("BIASGUARD_NO_DIALOGS", "1"); }

    void laysOutTheModel_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("demo") << "resources/models/demo/slimmed_cnn.onnx";
        QTest::newRow("PP-OCRv4 detector") << "resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx";
    }
    void laysOutTheModel()
    {
        QFETCH(QString, model);
        const auto structure = bg::loadModelStructure(bgtest::sourcePath(model.toStdString()));
        const bg::Graph& g = structure->graph;
        const GraphLayoutResult layout = GraphLayout::compute(g);
        QVERIFY2(layout.error.isEmpty(), qPrintable(layout.error));
        qInfo("%zu nodes laid out in %.2f s", g.nodes.size(), layout.seconds);
        QCOMPARE(layout.vertices.size(), g.inputs.size() + g.nodes.size() + g.outputs.size());

        // The data edges, found here from the node inputs: (producer vertex, consumer vertex).
        std::map<std::string, int> producer;
        for (size_t i = 0; i < g.inputs.size(); ++i)
            producer[g.inputs[i].name] = static_cast<int>(i);
        std::set<std::pair<int, int>> expected;
        for (size_t n = 0; n < g.nodes.size(); ++n) {
            const int v = static_cast<int>(g.inputs.size() + n);
            for (const auto& in : g.nodes[n].inputs)
                if (producer.count(in))
                    expected.insert({producer[in], v});
            for (const auto& out : g.nodes[n].outputs)
                producer[out] = v;
        }
        for (size_t o = 0; o < g.outputs.size(); ++o)
            expected.insert({producer.at(g.outputs[o].name), static_cast<int>(g.inputs.size() + g.nodes.size() + o)});
        std::set<std::pair<int, int>> drawn;
        for (const auto& e : layout.edges)
            drawn.insert({e.from, e.to});
        QCOMPARE(drawn.size(), layout.edges.size());
        QVERIFY(drawn == expected);

        // Every box inside the bounds, no two overlapping; each spline leaves its producer's box and
        // its arrow ends on its consumer's (dot's coordinates read back, flipped to y down).
        for (size_t a = 0; a < layout.vertices.size(); ++a) {
            const QRectF box = layout.vertices[a].box;
            QVERIFY(layout.bounds.adjusted(-1, -1, 1, 1).contains(box));
            QCOMPARE(layout.vertices[a].name.isEmpty(), false);
            for (size_t b = a + 1; b < layout.vertices.size(); ++b)
                QVERIFY(!box.intersects(layout.vertices[b].box));
        }
        for (const auto& e : layout.edges) {
            const QRectF from = layout.vertices[static_cast<size_t>(e.from)].box.adjusted(-2, -2, 2, 2);
            const QRectF to = layout.vertices[static_cast<size_t>(e.to)].box.adjusted(-2, -2, 2, 2);
            QVERIFY(from.contains(e.path.pointAtPercent(0)));
            QVERIFY(to.contains(e.arrowTip));
        }
    }

    // Node click → layer selected in the analysis tab; layer selected → node selected.
    void selectionFollowsBothWays_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("demo") << "resources/models/demo/slimmed_cnn.onnx";
        QTest::newRow("PP-OCRv4 detector") << "resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx";
    }
    void selectionFollowsBothWays()
    {
        QFETCH(QString, model);
        const QString path = QString::fromStdString(bgtest::sourcePath(model.toStdString()));
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.findChild<QTabWidget*>()->setCurrentWidget(window.graphPanel());
        QSignalSpy analysed(window.analysisPanel(), &AnalysisPanel::analysisFinished);
        QSignalSpy laidOut(window.graphPanel(), &GraphPanel::layoutFinished);
        window.openModel(path);
        QVERIFY(analysed.count() > 0 || analysed.wait(300000));
        QVERIFY(laidOut.count() > 0 || laidOut.wait(60000));
        const auto analysis = window.analysisPanel()->analysis();
        GraphView* view = window.graphPanel()->view();
        const auto& vertices = view->layoutResult().vertices;
        const auto structure = bg::loadModelStructure(path.toStdString());
        auto vertexOfNode = [&](size_t node) {
            for (size_t v = 0; v < vertices.size(); ++v)
                if (vertices[v].kind == GraphLayoutResult::Vertex::Kind::Operator && vertices[v].index == static_cast<int>(node))
                    return static_cast<int>(v);
            return -1;
        };
        // The worst layer is selected on arrival, in the graph too.
        const int worst = window.analysisPanel()->selectedLayer();
        QVERIFY(worst >= 0);
        const auto& worstPair = structure->pairs.pairs[analysis->layers[static_cast<size_t>(worst)].pairIndex];
        QCOMPARE(view->selectedVertex(), vertexOfNode(worstPair.linearIndex));

        for (size_t li = 0; li < analysis->layers.size(); ++li) {
            const auto& pair = structure->pairs.pairs[analysis->layers[li].pairIndex];
            // Click the layer's BatchNorm node (it folds into the layer), shown first.
            const int bnVertex = vertexOfNode(pair.bnIndex);
            QVERIFY(bnVertex >= 0);
            view->selectVertex(bnVertex, true);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->viewportPointOf(bnVertex));
            QCOMPARE(window.analysisPanel()->selectedLayer(), static_cast<int>(li));
        }
        // The reverse: selecting a layer in the analysis tab selects its linear node here.
        for (size_t li = 0; li < analysis->layers.size(); ++li) {
            window.analysisPanel()->selectLayer(static_cast<int>(li));
            const auto& pair = structure->pairs.pairs[analysis->layers[li].pairIndex];
            QCOMPARE(view->selectedVertex(), vertexOfNode(pair.linearIndex));
        }
        // Search by name selects the node and its layer.
        const std::string name = analysis->layers.front().name;
        QVERIFY(window.graphPanel()->find(QString::fromStdString(name)));
        QCOMPARE(window.analysisPanel()->selectedLayer(), 0);
        QVERIFY(!window.graphPanel()->find("no node is called like this"));
    }
};

QTEST_MAIN(TestGraphView)
#include "tst_graph_view.moc"
