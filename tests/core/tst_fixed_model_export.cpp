// The fixed-model export: every foldable BatchNormalization folded into its linear node, separated
// channels kept as L(W, b − μ) → Mul(a) → Add(β). The exported model computes what the original does
// (checked with the float runtime on the demo, the classifier and a hand-built MatMul/Gemm model);
// the input model is never overwritten.
#include "folding/fold_pair_finder.h"
#include "common/test_paths.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "export/fixed_model_export.h"
#include "export/onnx_builder.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "calibration/synthetic_inputs.h"
#include "runtime/float_runtime.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using bg::Strategy;

namespace {

int countOps(const bg::Graph& g, const std::string& op)
{
    int n = 0;
    for (const auto& node : g.nodes)
        n += node.opType == op ? 1 : 0;
    return n;
}

// max |a − b| over every graph output, relative to the largest |a|.
double relativeDifference(const bg::Graph& original, const bg::Graph& fixed, const std::map<std::string, bg::Tensor>& sample)
{
    const bg::TensorMap in(sample.begin(), sample.end());
    const bg::TensorMap a = bg::FloatRuntime(original).run(in), b = bg::FloatRuntime(fixed).run(in);
    double worst = 0.0;
    for (const auto& out : original.outputs) {
        const auto x = a.at(out.name).floats(), y = b.at(out.name).floats();
        if (x.size() != y.size())
            return INFINITY;
        double scale = 1e-12, diff = 0.0;
        for (size_t i = 0; i < x.size(); ++i) {
            scale = std::max(scale, std::fabs(double(x[i])));
            diff = std::max(diff, std::fabs(double(x[i]) - double(y[i])));
        }
        worst = std::max(worst, diff / scale);
    }
    return worst;
}

// Constants (initializers or Constant nodes) no node reads.
int unreadConstants(const bg::Graph& g)
{
    std::set<std::string> read;
    for (const auto& node : g.nodes)
        read.insert(node.inputs.begin(), node.inputs.end());
    int n = 0;
    for (const auto& [name, tensor] : g.constants)
        n += read.count(name) || g.isGraphOutput(name) ? 0 : 1;
    return n;
}

std::vector<std::vector<Strategy>> uniform(const bg::FoldPairs& pairs, Strategy s)
{
    std::vector<std::vector<Strategy>> out;
    for (const auto& p : pairs.pairs)
        out.emplace_back(static_cast<size_t>(p.channels), s);
    return out;
}

// Every other channel separated: both kinds of channel in one layer.
std::vector<std::vector<Strategy>> alternating(const bg::FoldPairs& pairs)
{
    std::vector<std::vector<Strategy>> out;
    for (const auto& p : pairs.pairs) {
        out.emplace_back();
        for (int64_t c = 0; c < p.channels; ++c)
            out.back().push_back(c % 2 ? Strategy::Separate : Strategy::Clamp);
    }
    return out;
}

} // namespace

class TestFixedModelExport : public QObject {
    Q_OBJECT
private slots:
    void sameFunction_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("mode");  // 0 clamp everywhere, 1 alternating, 2 separate everywhere
        const QString demo = "resources/models/demo/slimmed_cnn.onnx";
        const QString cls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
        for (int mode = 0; mode < 3; ++mode) {
            QTest::addRow("demo %d", mode) << demo << mode;
            QTest::addRow("cls %d", mode) << cls << mode;
        }
    }
    void sameFunction()
    {
        QFETCH(QString, model);
        QFETCH(int, mode);
        const std::string in = bgtest::sourcePath(model.toStdString());
        const bg::Graph original = bg::loadModel(in);
        const bg::FoldPairs pairs = bg::findFoldPairs(original);
        QVERIFY(!pairs.pairs.empty());
        const auto strategies = mode == 0 ? uniform(pairs, Strategy::Clamp)
                                          : mode == 1 ? alternating(pairs) : uniform(pairs, Strategy::Separate);
        QTemporaryDir dir;
        const std::string out = dir.filePath("fixed.onnx").toStdString();
        const bg::FixedModelSummary s = bg::exportFixedModel(in, out, pairs, strategies);
        QCOMPARE(s.foldedPairs, int64_t(pairs.pairs.size()));
        QCOMPARE(s.separatedLayers, mode == 0 ? int64_t(0) : int64_t(pairs.pairs.size()));

        const bg::Graph fixed = bg::loadModel(out);
        QCOMPARE(countOps(fixed, "BatchNormalization"), countOps(original, "BatchNormalization") - int(pairs.pairs.size()));
        QCOMPARE(countOps(fixed, "Mul") - countOps(original, "Mul"), int(s.separatedLayers));
        QVERIFY(bg::findFoldPairs(fixed).pairs.empty());  // nothing left to fold
        QCOMPARE(unreadConstants(fixed), 0);  // the folded W/B and BN parameters are gone
        bg::SyntheticShapeOptions shapes;
        shapes.otherDim = 48;
        shapes.dimSizes[original.inputs[0].name + ":3"] = 192;
        const double diff = relativeDifference(original, fixed, bg::syntheticSample(original, 2, shapes));
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    }

    // MatMul has no bias input (the folded bias goes into the Add); Gemm's beta·C becomes C, beta 1.
    void matMulAndGemm_data()
    {
        QTest::addColumn<QString>("op");
        QTest::newRow("MatMul") << "MatMul";
        QTest::newRow("Gemm") << "Gemm";
    }
    void matMulAndGemm()
    {
        QFETCH(QString, op);
        auto vec = [](std::vector<float> v) { const auto n = static_cast<int64_t>(v.size()); return bg::Tensor({n}, std::move(v)); };
        bg::OnnxBuilder b(13);
        b.input("x", {2, 4}).output("y");
        b.initializer("W", bg::Tensor({4, 3}, std::vector<float>{0.5f, -1, 2, 0.25f, 1, -0.5f, 1.5f, 0.1f, 0.3f, -2, 0.7f, 1}));
        b.initializer("g", vec({1.5f, 1e-6f, -0.5f})).initializer("beta", vec({0.1f, 0.7f, -0.3f}));
        b.initializer("mu", vec({0.2f, -1, 0.5f})).initializer("v", vec({1, 0.5f, 2}));
        if (op == "Gemm") {
            b.initializer("C", vec({0.3f, -0.2f, 1}));
            b.node("Gemm", {"x", "W", "C"}, {"z"}, {{"alpha", 0.5f}, {"beta", 2.0f}}, "fc");
        } else {
            b.node("MatMul", {"x", "W"}, {"z"}, {}, "fc");
        }
        b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"y"}, {}, "bn");
        QTemporaryDir dir;
        const std::string in = dir.filePath("tiny.onnx").toStdString();
        bg::writeFileAtomically(in, b.serialize());
        const bg::Graph original = bg::loadModel(in);
        const bg::FoldPairs pairs = bg::findFoldPairs(original);
        QCOMPARE(pairs.pairs.size(), size_t(1));
        const std::string out = dir.filePath("fixed.onnx").toStdString();
        bg::exportFixedModel(in, out, pairs, {{Strategy::Clamp, Strategy::Separate, Strategy::Constant}});
        const bg::Graph fixed = bg::loadModel(out);
        QCOMPARE(countOps(fixed, "BatchNormalization"), 0);
        std::map<std::string, bg::Tensor> sample;
        sample["x"] = bg::Tensor({2, 4}, std::vector<float>{1, -2, 0.5f, 3, -1, 0.25f, 2, -0.5f});
        const double diff = relativeDifference(original, fixed, sample);
        QVERIFY2(diff < 1e-5, qPrintable(QString::number(diff)));
    }

    void neverOverwritesTheInput()
    {
        QTemporaryDir dir;
        const std::string copy = dir.filePath("demo.onnx").toStdString();
        const std::string bytes = bg::readWholeFile(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
        bg::writeFileAtomically(copy, bytes);
        const bg::Graph g = bg::loadModel(copy);
        const bg::FoldPairs pairs = bg::findFoldPairs(g);
        try {
            bg::exportFixedModel(copy, dir.filePath("./demo.onnx").toStdString(), pairs, uniform(pairs, Strategy::Clamp));
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(e.code() == bg::ErrorCode::BadSetting);
        }
        QVERIFY(bg::readWholeFile(copy) == bytes);
        const std::string bad = dir.filePath("no/dir/fixed.onnx").toStdString();
        try {
            bg::exportFixedModel(copy, bad, pairs, uniform(pairs, Strategy::Clamp));
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(e.code() == bg::ErrorCode::WriteFailed);
            QCOMPARE(e.subject(), bad);
        }
    }
};

QTEST_APPLESS_MAIN(TestFixedModelExport)
#include "tst_fixed_model_export.moc"
