// The Model Explorer overlay: its graph id is the model's graph name, its node ids are node names
// of the fixed model (an unnamed node gets the one name every export uses), and its values are the
// analysis' (bits, out_of_range) and the comparison's (sqnr_clamp, sqnr_fixed) as their JSON says.
#include "common/test_paths.h"

#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "comparison/model_comparison.h"
#include "export/analysis_json.h"
#include "export/comparison_json.h"
#include "export/export_names.h"
#include "export/fixed_model_export.h"
#include "export/onnx_builder.h"
#include "export/overlay_export.h"
#include "io/atomic_file.h"
#include "io/json_reader.h"
#include "model/model_loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

using bg::OverlayFigure;
using bg::Strategy;

namespace {

std::set<std::string> nodeNames(const bg::Graph& g)
{
    std::set<std::string> names;
    for (const auto& n : g.nodes)
        names.insert(n.name);
    return names;
}

// The fixed model of `model` (clamp everywhere), loaded back.
bg::Graph fixedModel(const bg::ModelStructure& model, const QTemporaryDir& dir)
{
    std::vector<std::vector<Strategy>> clamp;
    for (const auto& p : model.pairs.pairs)
        clamp.emplace_back(static_cast<size_t>(p.channels), Strategy::Clamp);
    const std::string path = dir.filePath("fixed.onnx").toStdString();
    bg::exportFixedModel(model.graph.path, path, model.pairs, clamp);
    return bg::loadModel(path);
}

// {node id: value} of the overlay's one graph, checking its layout on the way.
std::map<std::string, double> overlayValues(const std::string& json, const std::string& graphId, const char* colouring)
{
    const bg::JsonValue root = bg::parseJson(json, "overlay");
    std::map<std::string, double> values;
    if (!root.isObject() || root.members().size() != 1 || root.members()[0].first != graphId)
        return values;
    const bg::JsonValue& graph = root.members()[0].second;
    const bg::JsonValue* colours = graph.find(colouring);
    if (!colours || !colours->isArray() || colours->items().empty())
        return values;
    const bg::JsonValue* results = graph.find("results");
    if (!results || !results->isObject())
        return values;
    for (const auto& [node, v] : results->members())
        if (v.find("value") && v.find("value")->isNumber())
            values[node] = v.find("value")->number();
    return values;
}

} // namespace

class TestOverlayExport : public QObject {
    Q_OBJECT
private slots:
    void analysisFigures_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("biasBits");
        QTest::newRow("demo b16") << "resources/models/demo/slimmed_cnn.onnx" << 16;
        QTest::newRow("demo b8") << "resources/models/demo/slimmed_cnn.onnx" << 8;
        QTest::newRow("cls b12") << "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx" << 12;
    }

    void analysisFigures()
    {
        QFETCH(QString, model);
        QFETCH(int, biasBits);
        const auto m = bg::loadModelStructure(bgtest::sourcePath(model.toStdString()));
        bg::SyntheticShapeOptions shapes;
        shapes.otherDim = 48;  // the classifier's dynamic H and W (the demo's are static)
        bg::SyntheticCalibrationSource source(m->graph, shapes, 2);
        const bg::RangeTable ranges = bg::calibrate(m->graph, m->pairs, source);
        bg::QuantSettings s;
        s.biasBits = biasBits;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(m->graph, m->pairs, s, ranges);
        QTemporaryDir dir;
        const std::set<std::string> fixedNodes = nodeNames(fixedModel(*m, dir)), inputNodes = nodeNames(m->graph);
        const std::string graphId = bg::exportGraphName(m->graph.graphName);

        // The analysis JSON, as a user would read it: per layer the worst channel's bits and the
        // out-of-range count.
        const std::string jsonPath = dir.filePath("analysis.json").toStdString();
        bg::writeAnalysisJson(jsonPath, analysis);
        std::map<std::string, double> bits, outOfRange;
        const bg::JsonValue analysisJson = bg::readJsonFile(jsonPath);
        for (const bg::JsonValue& layer : analysisJson.find("layers")->items()) {
            const std::string name = layer.find("name")->string();
            for (const bg::JsonValue& ch : layer.find("channels")->items()) {
                bits[name] = std::max(bits[name], ch.find("bits")->number());
                outOfRange[name] += ch.find("out_of_range")->boolean() ? 1 : 0;
            }
        }
        const auto b = overlayValues(bg::overlayJson(OverlayFigure::Bits, analysis, nullptr, m->graph.graphName), graphId,
                                     "thresholds");
        const auto o = overlayValues(bg::overlayJson(OverlayFigure::OutOfRange, analysis, nullptr, m->graph.graphName),
                                     graphId, "thresholds");
        QCOMPARE(b, bits);
        QCOMPARE(o, outOfRange);
        QVERIFY(!b.empty());
        for (const auto& [node, value] : b) {
            QVERIFY2(fixedNodes.count(node), node.c_str());
            QVERIFY2(inputNodes.count(node), node.c_str());  // these models name their nodes
        }
        if (biasBits == 8)
            QVERIFY(std::any_of(o.begin(), o.end(), [](const auto& kv) { return kv.second > 0; }));
    }

    void comparisonFigures()
    {
        const auto m = bg::loadModelStructure(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
        bg::SyntheticCalibrationSource source(m->graph, {}, 2);
        const bg::RangeTable ranges = bg::calibrate(m->graph, m->pairs, source);
        bg::QuantSettings s;
        s.biasBits = 8;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(m->graph, m->pairs, s, ranges);
        bg::ComparisonOptions options;
        options.exactBiasReference = false;
        const bg::ModelComparison c = bg::compareModel(*m, ranges, analysis, source, options);
        QTemporaryDir dir;
        const std::string jsonPath = dir.filePath("compare.json").toStdString();
        bg::writeComparisonJson(jsonPath, c, m->graph.path);
        std::map<std::string, double> clamp, fixed;
        const bg::JsonValue comparisonJson = bg::readJsonFile(jsonPath);
        for (const bg::JsonValue& layer : comparisonJson.find("layers")->items()) {
            const std::string name = layer.find("name")->string();
            if (layer.find("quantized")->find("sqnr_db")->isNumber())
                clamp[name] = layer.find("quantized")->find("sqnr_db")->number();
            if (layer.find("fixed")->find("sqnr_db")->isNumber())
                fixed[name] = layer.find("fixed")->find("sqnr_db")->number();
        }
        const std::string graphId = bg::exportGraphName(m->graph.graphName);
        QCOMPARE(overlayValues(bg::overlayJson(OverlayFigure::SqnrClamp, analysis, &c, m->graph.graphName), graphId, "gradient"),
                 clamp);
        QCOMPARE(overlayValues(bg::overlayJson(OverlayFigure::SqnrFixed, analysis, &c, m->graph.graphName), graphId, "gradient"),
                 fixed);
        QVERIFY(!clamp.empty());
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::overlayJson(OverlayFigure::SqnrFixed, analysis, nullptr, ""));
    }

    // A model whose Conv, BN and graph have no names: the fixed model names the Conv after its
    // output, as the analysis and the overlay do, and the graph "main_graph".
    void unnamedNodesGetTheExportName()
    {
        bg::OnnxBuilder b(13, "");
        const auto vec = [](std::vector<float> v) { const auto n = int64_t(v.size()); return bg::Tensor({n}, std::move(v)); };
        b.input("x", {1, 2, 4, 4}).output("y");
        b.initializer("W", bg::Tensor({2, 2, 1, 1}, std::vector<float>{0.5f, -0.25f, 1.0f, 0.5f})).initializer("B", vec({0.1f, -0.2f}));
        b.initializer("g", vec({1.0f, 1e-6f})).initializer("beta", vec({0.2f, 0.7f}));
        b.initializer("mu", vec({0.0f, 3.0f})).initializer("v", vec({1.0f, 1.0f}));
        b.node("Conv", {"x", "W", "B"}, {"conv_out"});
        b.node("BatchNormalization", {"conv_out", "g", "beta", "mu", "v"}, {"bn_out"});
        b.node("Relu", {"bn_out"}, {"y"});
        QTemporaryDir dir;
        const std::string path = dir.filePath("unnamed.onnx").toStdString();
        b.save(path);
        const auto m = bg::loadModelStructure(path);
        bg::SyntheticCalibrationSource source(m->graph, {}, 2);
        const bg::FoldAnalysis analysis =
            bg::analyzeFolds(m->graph, m->pairs, bg::QuantSettings{}, bg::calibrate(m->graph, m->pairs, source));
        const bg::Graph fixed = fixedModel(*m, dir);
        QCOMPARE(fixed.graphName, std::string("main_graph"));
        const std::set<std::string> names = nodeNames(fixed);
        QVERIFY(names.count("conv_out") && names.count("y"));  // Conv and Relu, by their outputs
        const auto values = overlayValues(bg::overlayJson(OverlayFigure::Bits, analysis, nullptr, m->graph.graphName),
                                          "main_graph", "thresholds");
        QCOMPARE(values.size(), size_t(1));
        QCOMPARE(values.begin()->first, std::string("conv_out"));
        QCOMPARE(values.begin()->second, double(analysis.layers[0].maxBits));
    }
};

QTEST_APPLESS_MAIN(TestOverlayExport)
#include "tst_overlay_export.moc"
