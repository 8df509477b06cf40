// Float operators of one element (and BatchNormalization, of one element and its channel) run on
// their input's codes (integer/code_table_operator.h): the bytes of the node-by-node run, which
// dequantizes the input, runs the kernel and quantizes the output (keepActivationCodes keeps that
// path and leaves everything else as it is).
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "common/prepared_runtime.h"
#include "common/same_bytes.h"
#include "export/onnx_builder.h"
#include "integer/code_table_operator.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cstring>

using bg::OnnxBuilder;
using bg::Tensor;
using bgtest::sameBytes;

namespace {

constexpr int64_t C = 6, H = 29, W = 43;

// x -> conv1 -> t -> op -> e -> conv2 -> y, e also a graph output when asked (BatchNormalization:
// conv1 -> Relu -> op).
bg::Graph buildModel(const QString& op, bool outputE)
{
    OnnxBuilder b(13);
    b.input("x", {1, 3, H, W}).output("y");
    std::vector<float> w1(C * 3 * 9), w2(2 * C * 9);
    uint32_t s = 99;
    auto next = [&] { s = s * 1664525u + 1013904223u; return static_cast<float>((s >> 8) % 2001) / 1000.0f - 1.0f; };
    for (float& v : w1) v = next();
    for (float& v : w2) v = next() * 0.3f;
    b.initializer("W1", Tensor({C, 3, 3, 3}, w1)).initializer("W2", Tensor({2, C, 3, 3}, w2));
    const std::vector<OnnxBuilder::Attr> pads{{"pads", std::vector<int64_t>{1, 1, 1, 1}}};
    b.node("Conv", {"x", "W1"}, {"t"}, pads, "conv1");
    if (op == "BatchNormalization") {
        std::vector<float> scale, bias, mean, var;
        for (int64_t c = 0; c < C; ++c) {
            scale.push_back(0.5f + 0.3f * float(c));
            bias.push_back(0.2f * float(c) - 0.4f);
            mean.push_back(0.1f * float(c));
            var.push_back(0.7f + 0.05f * float(c));
        }
        b.initializer("bn_s", Tensor({C}, scale)).initializer("bn_b", Tensor({C}, bias));
        b.initializer("bn_m", Tensor({C}, mean)).initializer("bn_v", Tensor({C}, var));
        // After a Relu (a chain, applied in conv1's requantization): a BatchNormalization right
        // after the Conv would be folded into it.
        b.node("Relu", {"t"}, {"r"}, {}, "relu");
        b.node("BatchNormalization", {"r", "bn_s", "bn_b", "bn_m", "bn_v"}, {"e"}, {}, "bn");
    } else if (op == "LeakyRelu") {
        b.node("LeakyRelu", {"t"}, {"e"}, {{"alpha", 0.13f}}, "leaky");
    } else {
        b.node(op.toStdString(), {"t"}, {"e"}, {}, "op");
    }
    b.node("Conv", {"e", "W2"}, {"y"}, pads, "conv2");
    if (outputE)
        b.output("e");
    return bg::loadModelFromBytes(b.serialize(), "table_op.onnx");
}

} // namespace

class TestCodeTableOperator : public QObject {
    Q_OBJECT
private slots:
    void sameBytesAsNodeByNode_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<bool>("ortArithmetic");
        QTest::addColumn<int>("activationBits");
        QTest::addColumn<bool>("outputE");
        // Log and Sqrt meet negative inputs (NaN: the zero point), Exp large ones (saturation).
        for (const char* op : {"Sigmoid", "HardSwish", "Tanh", "LeakyRelu", "Exp", "Log", "Sqrt", "Softplus",
                               "BatchNormalization"}) {
            QTest::addRow("%s, exact, 8 bits", op) << QString(op) << false << 8 << false;
            QTest::addRow("%s, onnxruntime, 8 bits", op) << QString(op) << true << 8 << false;
            QTest::addRow("%s, exact, 5 bits, a graph output", op) << QString(op) << false << 5 << true;
        }
    }

    void sameBytesAsNodeByNode()
    {
        QFETCH(QString, op);
        QFETCH(bool, ortArithmetic);
        QFETCH(int, activationBits);
        QFETCH(bool, outputE);
        const bg::Graph g = buildModel(op, outputE);
        const auto model = bg::makeModelStructure(g);
        bg::SyntheticCalibrationSource source(model->graph, {}, 2);
        const bg::RangeTable ranges = bg::calibrate(model->graph, model->pairs, source);
        bg::QuantSettings settings;
        settings.weightBits = 8;
        settings.activationBits = activationBits;
        settings.arithmetic = ortArithmetic ? bg::Arithmetic::OnnxRuntime : bg::Arithmetic::Exact;
        const bgtest::PreparedRuntime prepared(model->graph, ranges, settings, bg::FixPlan(bg::Strategy::Auto));
        const bg::TensorMap inputs = source.sample(1);

        bg::IntegerRunOptions nodeByNode;
        nodeByNode.keepActivationCodes = true;
        const bg::IntegerRunResult a = prepared.rt.run(inputs, {});
        const bg::IntegerRunResult b = prepared.rt.run(inputs, nodeByNode);
        QCOMPARE(a.stats.operatorsOnCodes, int64_t(1));
        QCOMPARE(b.stats.operatorsOnCodes, int64_t(0));
        QCOMPARE(a.outputs.size(), b.outputs.size());
        for (const auto& [name, t] : b.outputs)
            QVERIFY2(sameBytes(a.outputs.at(name), t), name.c_str());
        // The operator's codes themselves.
        QVERIFY(b.activationCodes.count("e"));
        bg::IntegerRunOptions groups;
        groups.keepGroupOutputs = true;
        const bg::IntegerRunResult k = prepared.rt.run(inputs, groups);
        QCOMPARE(k.stats.operatorsOnCodes, int64_t(1));
        for (const auto& [name, t] : b.outputs)
            QVERIFY2(sameBytes(k.outputs.at(name), t), name.c_str());
        // Not a constant output: the operator's values reach y.
        const auto y = a.outputs.at("y").floats();
        QVERIFY(*std::max_element(y.begin(), y.end()) > *std::min_element(y.begin(), y.end()));
    }

    // Which nodes run as tables: the element operators, Clip with constant bounds, BatchNormalization
    // with constant statistics; not an operator with a tensor parameter or of two inputs.
    void kinds()
    {
        const bg::Graph bn = buildModel("BatchNormalization", false);
        const bg::Graph sig = buildModel("Sigmoid", false);
        QVERIFY(bg::codeTableKind(bn, bn.nodes[2]) == bg::CodeTableKind::PerChannel);
        QVERIFY(bg::codeTableKind(sig, sig.nodes[1]) == bg::CodeTableKind::Element);
        QVERIFY(!bg::codeTableKind(sig, sig.nodes[0]));  // Conv
        bg::Node add = sig.nodes[1];
        add.opType = "Add";
        add.inputs = {"t", "t"};
        QVERIFY(!bg::codeTableKind(sig, add));
        bg::Node bnRuntimeStats = bn.nodes[2];
        bnRuntimeStats.inputs[3] = "t";  // a mean that is not a constant
        QVERIFY(!bg::codeTableKind(bn, bnRuntimeStats));
    }
};

QTEST_GUILESS_MAIN(TestCodeTableOperator)
#include "tst_code_table_operator.moc"
