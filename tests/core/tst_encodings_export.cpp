// The encodings export (AIMET 0.6.1 layout) and its reader: BiasGuard reads its own encodings back
// as ranges and reproduces the calibrated integer run bit for bit; the file has AIMET's keys and
// types, names only tensors of the fixed float model, and carries the scales the integer pipeline
// used (gamma separation's s_W,c of the unscaled W included); a bad file is refused naming the
// file and the tensor.
#include "common/fixed_input.h"
#include "common/prepared_runtime.h"
#include "common/test_paths.h"

#include "arithmetic/quant_math.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "export/encodings_export.h"
#include "export/encodings_reader.h"
#include "export/fixed_model_export.h"
#include "export/onnx_builder.h"
#include "io/atomic_file.h"
#include "io/error.h"
#include "io/json_reader.h"
#include "model/model_loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <set>

using bg::Strategy;

namespace {

struct Case {
    std::shared_ptr<const bg::ModelStructure> model;
    bg::RangeTable ranges;
    bg::Shape inputShape;
};

Case calibrated(const QString& path, int64_t h, int64_t w)
{
    Case c;
    c.model = bg::loadModelStructure(bgtest::sourcePath(path.toStdString()));
    const bg::Graph& g = c.model->graph;
    bg::SyntheticShapeOptions shapes;
    shapes.dimSizes[g.inputs[0].name + ":2"] = h;
    shapes.dimSizes[g.inputs[0].name + ":3"] = w;
    bg::SyntheticCalibrationSource source(g, shapes);
    c.ranges = bg::calibrate(g, c.model->pairs, source);
    c.inputShape = {1, 3, h, w};
    return c;
}

bg::QuantSettings settingsOf(int weightBits, int biasBits, bool perTensor)
{
    bg::QuantSettings s;
    s.weightBits = weightBits;
    s.biasBits = biasBits;
    s.granularity = perTensor ? bg::Granularity::PerTensor : bg::Granularity::PerChannel;
    return s;
}

const QString kDemo = "resources/models/demo/slimmed_cnn.onnx";
const QString kCls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";

// The encodings of `c` at `s` with the auto plan, written to `path`; returns the fixed model built too.
bg::FixedModel writeAutoEncodings(const Case& c, const bg::FoldAnalysis& analysis, const bg::IntegerRuntime& rt,
                                  const std::string& path)
{
    const bg::FixPlan plan(Strategy::Auto);
    const bg::FixedModel fixed = bg::buildFixedModel(c.model->graph.path, c.model->pairs, plan.resolvedPerPair(analysis));
    bg::writeEncodings(path, rt, fixed);
    return fixed;
}

} // namespace

class TestEncodingsExport : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsBitIdentical_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("weightBits");
        QTest::addColumn<int>("biasBits");
        QTest::addColumn<bool>("perTensor");
        QTest::newRow("demo W4 b16") << kDemo << 64 << 64 << 4 << 16 << false;
        QTest::newRow("demo W8 b8") << kDemo << 64 << 64 << 8 << 8 << false;
        QTest::newRow("demo W8 b12 per tensor") << kDemo << 64 << 64 << 8 << 12 << true;
        QTest::newRow("cls W8 b12") << kCls << 48 << 192 << 8 << 12 << false;
    }

    void roundTripIsBitIdentical()
    {
        QFETCH(QString, model);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, weightBits);
        QFETCH(int, biasBits);
        QFETCH(bool, perTensor);
        const Case c = calibrated(model, height, width);
        const bg::QuantSettings s = settingsOf(weightBits, biasBits, perTensor);
        const bg::FixPlan plan(Strategy::Auto);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(c.model->graph, c.model->pairs, s, c.ranges);
        const bg::IntegerRuntime rt(*c.model, c.ranges, analysis, plan);
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.encodings").toStdString();
        writeAutoEncodings(c, analysis, rt, path);

        const bg::RangeTable read = bg::readEncodingsRanges(path, *c.model, s.activationBits);
        const bg::FoldAnalysis analysis2 = bg::analyzeFolds(c.model->graph, c.model->pairs, s, read);
        const bg::IntegerRuntime rt2(*c.model, read, analysis2, plan);
        // The same decisions: every activation's parameters and every channel's strategy and scale.
        for (const std::string& t : rt.quantizedTensors()) {
            QCOMPARE(rt2.activationQuant(t).scale, rt.activationQuant(t).scale);
            QCOMPARE(rt2.activationQuant(t).zeroPoint, rt.activationQuant(t).zeroPoint);
        }
        QCOMPARE(rt2.quantizedGroups().size(), rt.quantizedGroups().size());
        int64_t separated = 0;
        for (size_t g = 0; g < rt.quantizedGroups().size(); ++g)
            for (size_t ch = 0; ch < rt.quantizedGroups()[g].channels.size(); ++ch) {
                const bg::ChannelRequant& a = rt.quantizedGroups()[g].channels[ch];
                const bg::ChannelRequant& b = rt2.quantizedGroups()[g].channels[ch];
                QCOMPARE(b.strategy, a.strategy);
                QCOMPARE(b.multiplier, a.multiplier);
                QCOMPARE(b.pre, a.pre);
                QCOMPARE(b.post, a.post);
                separated += a.strategy == Strategy::Separate ? 1 : 0;
            }
        if (biasBits <= 12)
            QVERIFY(separated > 0);  // the round trip covers the split

        const bg::Graph& g = c.model->graph;
        const bg::TensorMap in{{g.inputs[0].name, bgtest::fixedTestInput(c.inputShape)}};
        const bg::IntegerRunResult x = rt.run(in), y = rt2.run(in);
        for (const auto& out : g.outputs) {
            const auto a = x.outputs.at(out.name).floats(), b = y.outputs.at(out.name).floats();
            QVERIFY(a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
        }
    }

    // AIMET's keys and types; tensor names of the fixed model; the pipeline's own scales.
    void schema_data()
    {
        QTest::addColumn<int>("biasBits");
        QTest::addColumn<bool>("perTensor");
        QTest::newRow("b8 per channel") << 8 << false;
        QTest::newRow("b16 per channel") << 16 << false;
        QTest::newRow("b8 per tensor") << 8 << true;
    }

    void schema()
    {
        QFETCH(int, biasBits);
        QFETCH(bool, perTensor);
        const Case c = calibrated(kDemo, 64, 64);
        const bg::QuantSettings s = settingsOf(4, biasBits, perTensor);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(c.model->graph, c.model->pairs, s, c.ranges);
        const bg::IntegerRuntime rt(*c.model, c.ranges, analysis, bg::FixPlan(Strategy::Auto));
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.json").toStdString();
        const bg::FixedModel fixed = writeAutoEncodings(c, analysis, rt, path);
        const std::string fixedPath = dir.filePath("fixed.onnx").toStdString();
        bg::writeFileAtomically(fixedPath, fixed.bytes);
        const bg::Graph fixedGraph = bg::loadModel(fixedPath);
        std::set<std::string> tensors;
        for (const auto& in : fixedGraph.inputs)
            tensors.insert(in.name);
        for (const auto& n : fixedGraph.nodes)
            tensors.insert(n.outputs.begin(), n.outputs.end());

        const bg::JsonValue root = bg::readJsonFile(path);
        QVERIFY(root.find("version") && root.find("version")->isString());
        QCOMPARE(root.find("version")->string(), std::string("0.6.1"));
        const auto checkEncoding = [](const bg::JsonValue& e, const std::string& symmetric) {
            QVERIFY(e.isObject());
            for (const char* k : {"bitwidth", "scale", "offset", "min", "max"})
                QVERIFY2(e.find(k) && e.find(k)->isNumber(), k);
            for (const char* k : {"dtype", "is_symmetric"})
                QVERIFY2(e.find(k) && e.find(k)->isString(), k);
            QCOMPARE(e.find("dtype")->string(), std::string("int"));
            QCOMPARE(e.find("is_symmetric")->string(), symmetric);
            QVERIFY(e.find("scale")->number() > 0);
            QVERIFY(e.find("min")->number() <= 0 && e.find("max")->number() >= 0);
            QCOMPARE(std::floor(e.find("offset")->number()), e.find("offset")->number());
        };

        const bg::JsonValue* act = root.find("activation_encodings");
        QVERIFY(act && act->isObject());
        QCOMPARE(act->members().size(), rt.quantizedTensors().size());
        for (const auto& [name, list] : act->members()) {
            QVERIFY2(tensors.count(name), name.c_str());
            QVERIFY(list.isArray() && list.items().size() == 1);
            const bg::JsonValue& e = list.items()[0];
            checkEncoding(e, "False");
            const bg::ActivationQuant q = rt.activationQuant(name);
            QCOMPARE(e.find("bitwidth")->number(), double(s.activationBits));
            QCOMPARE(e.find("scale")->number(), q.scale);
            QCOMPARE(e.find("offset")->number(), double(-q.zeroPoint));  // AIMET's offset is −zp
        }

        const bg::JsonValue* params = root.find("param_encodings");
        QVERIFY(params && params->isObject());
        for (const auto& [name, list] : params->members()) {
            QVERIFY2(fixedGraph.isConstant(name), name.c_str());
            QVERIFY(list.isArray() && !list.items().empty());
            for (const bg::JsonValue& e : list.items())
                checkEncoding(e, "True");
        }
        // Every BN layer's weight: per channel the scale the codes were rounded with, the
        // separated channels' s_W,c of the unscaled W (which the fixed model stores for them).
        const int64_t qw = bg::weightQmax(s.weightBits);
        int64_t separatedChannels = 0;
        for (const bg::QuantizedGroup& qg : rt.quantizedGroups()) {
            const bg::FusionGroup& g = rt.groups().groups[qg.groupIndex];
            if (!g.hasBn)
                continue;
            const bg::LayerAnalysis& layer = analysis.layers[static_cast<size_t>(g.pairIndex)];
            const bg::JsonValue* w = params->find(fixed.layers[static_cast<size_t>(g.pairIndex)].weight);
            QVERIFY(w);
            for (size_t ch = 0; ch < qg.channels.size(); ++ch) {
                const bg::JsonValue& e = w->items()[w->items().size() == 1 ? 0 : ch];
                QCOMPARE(e.find("bitwidth")->number(), double(s.weightBits));
                QCOMPARE(e.find("offset")->number(), double(-qw));
                const double expected = qg.channels[ch].strategy == Strategy::Separate ? layer.channels[ch].widenedWeightScale
                                        : qg.channels[ch].strategy == Strategy::Widen   ? qg.channels[ch].weightScale
                                                                                        : layer.channels[ch].weightScale;
                QCOMPARE(e.find("scale")->number(), expected);
                QCOMPARE(e.find("max")->number(), double(qw) * expected);
                separatedChannels += qg.channels[ch].strategy == Strategy::Separate ? 1 : 0;
            }
        }
        QVERIFY(separatedChannels > 0);  // the demo separates at both settings
        const bg::JsonValue* bgSection = root.find("biasguard");
        QVERIFY(bgSection && bgSection->find("pre_bn_ranges") && bgSection->find("pre_bn_ranges")->isObject());
        QCOMPARE(bgSection->find("pre_bn_ranges")->members().size(), analysis.layers.size());
    }

    void badFilesNameFileAndTensor_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");  // in the message, beside the file's path
        QTest::newRow("not json") << "\"version\"" << "\"version" << "line";
        QTest::newRow("version") << "\"version\": \"0.6.1\"" << "\"version\": 6" << "\"version\"";
        QTest::newRow("scale missing") << "\"scale\"" << "\"scal\"" << "\"scale\" is missing";
        QTest::newRow("scale not a number") << "\"scale\": " << "\"scale\": \"x\", \"s\": " << "\"scale\" must be";
        QTest::newRow("unknown tensor") << "\"image\"" << "\"imagex\"" << "'imagex'";
        QTest::newRow("bitwidth") << "\"bitwidth\": 8" << "\"bitwidth\": 6" << "encoded at 6 bits";
        QTest::newRow("dtype") << "\"dtype\": \"int\"" << "\"dtype\": \"float\"" << "dtype 'float'";
    }

    void badFilesNameFileAndTensor()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        const Case c = calibrated(kDemo, 64, 64);
        const bg::QuantSettings s;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(c.model->graph, c.model->pairs, s, c.ranges);
        const bg::IntegerRuntime rt(*c.model, c.ranges, analysis, bg::FixPlan(Strategy::Auto));
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.json").toStdString();
        writeAutoEncodings(c, analysis, rt, path);
        std::string text;
        {
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::ReadOnly));
            text = f.readAll().toStdString();
        }
        const size_t at = text.find(from.toStdString());
        QVERIFY2(at != std::string::npos, qPrintable(from));
        text.replace(at, static_cast<size_t>(from.size()), to.toStdString());
        bg::writeFileAtomically(path, text);
        try {
            bg::readEncodingsRanges(path, *c.model, s.activationBits);
            QFAIL("a bad encodings file was accepted");
        } catch (const bg::Error& e) {
            const QString what = e.what();
            QCOMPARE(e.code(), bg::ErrorCode::BadInput);
            QVERIFY2(what.contains(QString::fromStdString(path)), qPrintable(what));
            QVERIFY2(what.contains(expected), qPrintable(what));
        }
    }

    // The `biasguard` section's pre-BN ranges are what §7's constant test reads: another tool's file
    // (without the section) is accepted, and then no channel is constant.
    void preBnRangesCarryTheConstantTest()
    {
        const Case c = calibrated(kDemo, 64, 64);
        const bg::QuantSettings s;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(c.model->graph, c.model->pairs, s, c.ranges);
        const bg::IntegerRuntime rt(*c.model, c.ranges, analysis, bg::FixPlan(Strategy::Auto));
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.json").toStdString();
        writeAutoEncodings(c, analysis, rt, path);
        const auto constants = [](const bg::FoldAnalysis& a) {
            int64_t n = 0;
            for (const auto& l : a.layers)
                for (const auto& ch : l.channels)
                    n += ch.strategy == Strategy::Constant ? 1 : 0;
            return n;
        };
        const bg::RangeTable full = bg::readEncodingsRanges(path, *c.model, s.activationBits);
        QCOMPARE(constants(bg::analyzeFolds(c.model->graph, c.model->pairs, s, full)), constants(analysis));
        QVERIFY(constants(analysis) > 0);

        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::string text = f.readAll().toStdString();
        f.close();
        const size_t section = text.find("\"biasguard\"");
        QVERIFY(section != std::string::npos);
        text = text.substr(0, text.rfind(',', section)) + "\n" + text.substr(text.rfind('}'));
        bg::writeFileAtomically(path, text);
        const bg::RangeTable bare = bg::readEncodingsRanges(path, *c.model, s.activationBits);
        QCOMPARE(constants(bg::analyzeFolds(c.model->graph, c.model->pairs, s, bare)), int64_t(0));
    }

    // A linear layer the integer kernels cannot run (Gemm transA = 1) gets no weight encoding, and
    // the file says so, with the reason.
    void floatLayersAreListed()
    {
        bg::OnnxBuilder b(13);
        b.input("x", {3, 1}).output("y");
        b.initializer("W", bg::Tensor({3, 2}, std::vector<float>{0.5f, -0.25f, 1.0f, 0.5f, -0.75f, 0.25f}));
        b.node("Gemm", {"x", "W"}, {"y"}, {{"transA", int64_t{1}}}, "gemm_t");
        QTemporaryDir dir;
        const std::string model = dir.filePath("gemm.onnx").toStdString();
        b.save(model);
        Case c;
        c.model = bg::loadModelStructure(model);
        bg::SyntheticCalibrationSource source(c.model->graph, {}, 2);
        c.ranges = bg::calibrate(c.model->graph, c.model->pairs, source);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(c.model->graph, c.model->pairs, bg::QuantSettings{}, c.ranges);
        const bg::IntegerRuntime rt(*c.model, c.ranges, analysis, bg::FixPlan(Strategy::Auto));
        const std::string path = dir.filePath("e.json").toStdString();
        writeAutoEncodings(c, analysis, rt, path);
        const bg::JsonValue root = bg::readJsonFile(path);
        QVERIFY(!root.find("param_encodings")->find("W"));
        const bg::JsonValue* floats = root.find("biasguard")->find("float_layers");
        QVERIFY(floats && floats->isArray() && floats->items().size() == 1);
        QCOMPARE(floats->items()[0].find("node")->string(), std::string("gemm_t"));
        QVERIFY(!floats->items()[0].find("reason")->string().empty());
        QVERIFY(root.find("activation_encodings")->find("x") && root.find("activation_encodings")->find("y"));
    }

    // Without a graph input's encoding the reader says which tensor is missing.
    void missingTensorIsNamed()
    {
        const Case c = calibrated(kDemo, 64, 64);
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.json").toStdString();
        bg::writeFileAtomically(path, "{\"version\": \"0.6.1\", \"activation_encodings\": {}, \"param_encodings\": {}}");
        try {
            bg::readEncodingsRanges(path, *c.model, 8);
            QFAIL("an empty encodings file was accepted");
        } catch (const bg::Error& e) {
            const QString what = e.what();
            QVERIFY2(what.contains(QString::fromStdString(path)) && what.contains("'image'"), qPrintable(what));
        }
    }
};

QTEST_APPLESS_MAIN(TestEncodingsExport)
#include "tst_encodings_export.moc"
