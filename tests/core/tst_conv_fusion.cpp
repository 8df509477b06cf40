// Conv + activation fusion of the fast float path (runtime/conv_fusion.h): which pairs and chains fuse, that a
// fused run equals the unfused fast run and the reference kernels within the fast kernels'
// tolerance, that it really fused (FloatKernelPaths::fused), and that a run observing the Conv's
// own output (keep, keepAll, onNodeDone) or the reference path never fuses.
#include "common/random_tensor.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "runtime/conv_fusion.h"
#include "runtime/float_runtime.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using bg::OnnxBuilder;
using bg::Tensor;
using bgtest::randomTensor;

namespace {

// x [1,8,12,12] -> Conv 3x3 (16 channels, bias, pads 1) -> `act` -> y; `convIsOutput` also
// exposes the Conv's output z; `secondReader` adds a Neg reading z.
bg::Graph buildModel(const QString& act, bool convIsOutput = false, bool secondReader = false, int64_t opset = 13)
{
    OnnxBuilder b(opset);
    b.input("x", {1, 8, 12, 12}).output("y");
    if (convIsOutput)
        b.output("z");
    b.initializer("W", randomTensor({16, 8, 3, 3}, 7, 0.5f)).initializer("B", randomTensor({16}, 8, 0.5f));
    b.node("Conv", {"x", "W", "B"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    if (act == "Clip") {
        b.initializer("lo", Tensor::scalar(-0.5f)).initializer("hi", Tensor::scalar(1.5f));
        b.node("Clip", {"z", "lo", "hi"}, {"y"}, {}, "act");
    } else if (act == "ClipNoMin") {
        b.initializer("hi", Tensor::scalar(0.25f));
        b.node("Clip", {"z", "", "hi"}, {"y"}, {}, "act");
    } else if (act == "HardSigmoid") {
        b.node("HardSigmoid", {"z"}, {"y"}, {{"alpha", 0.3f}, {"beta", 0.4f}}, "act");
    } else {
        b.node(act.toStdString(), {"z"}, {"y"}, {}, "act");
    }
    if (secondReader) {
        b.output("n");
        b.node("Neg", {"z"}, {"n"}, {}, "neg");
    }
    return bg::loadModelFromBytes(b.serialize(), "fusion.onnx");
}

// x -> Conv -> Mul(s) -> Add(b) -> x·Clip(x + 3, 0, 6) / 6 written out -> Mul(s2) -> `last` -> y, as
// Paddle exports PP-OCRv4's LearnableAffineBlock + HardSwish (`last`: "Add", "Sub" (m2 - b2), "SubFirst"
// (b2 - m2), "Div3").
// `hsOutput` also makes the HardSwish's result a graph output.
bg::Graph buildPaddleChain(const std::string& last, bool hsOutput = false)
{
    OnnxBuilder b(13);
    b.input("x", {1, 8, 12, 12}).output("y");
    if (hsOutput)
        b.output("hs");
    b.initializer("W", randomTensor({16, 8, 3, 3}, 7, 0.5f)).initializer("B", randomTensor({16}, 8, 0.5f));
    b.initializer("s", Tensor(bg::Shape{1}, std::vector<float>{1.7f})).initializer("b", Tensor::scalar(-0.3f));
    b.initializer("three", Tensor::scalar(3.0f)).initializer("zero", Tensor::scalar(0.0f));
    b.initializer("six", Tensor::scalar(6.0f)).initializer("s2", Tensor::scalar(0.9f));
    b.initializer("b2", Tensor::scalar(0.25f)).initializer("tri", Tensor::scalar(3.0f));
    b.node("Conv", {"x", "W", "B"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    b.node("Mul", {"s", "z"}, {"m"}, {}, "scale");
    b.node("Add", {"m", "b"}, {"a"}, {}, "shift");
    b.node("Add", {"a", "three"}, {"a3"}, {}, "hs_add");
    b.node("Clip", {"a3", "zero", "six"}, {"c"}, {}, "hs_clip");
    b.node("Mul", {"a", "c"}, {"p"}, {}, "hs_mul");
    b.node("Div", {"p", "six"}, {"hs"}, {}, "hs_div");
    b.node("Mul", {"hs", "s2"}, {"m2"}, {}, "scale2");
    if (last == "Add")
        b.node("Add", {"b2", "m2"}, {"y"}, {}, "shift2");
    else if (last == "Sub")
        b.node("Sub", {"m2", "b2"}, {"y"}, {}, "shift2");
    else if (last == "SubFirst")
        b.node("Sub", {"b2", "m2"}, {"y"}, {}, "shift2");
    else
        b.node("Div", {"m2", "tri"}, {"y"}, {}, "shift2");
    return bg::loadModelFromBytes(b.serialize(), "paddle_chain.onnx");
}

bg::TensorMap inputs20() { return {{"x", randomTensor({1, 8, 20, 20}, 13, 1.0f)}}; }

bg::TensorMap inputs() { return {{"x", randomTensor({1, 8, 12, 12}, 11, 1.0f)}}; }

// max |a - b| / (1 + |b|): the fast kernels' tolerance is relative to the magnitude.
double maxRelDiff(const Tensor& a, const Tensor& b)
{
    double worst = 0.0;
    for (size_t i = 0; i < a.floats().size(); ++i)
        worst = std::max(worst, std::fabs(double(a.floats()[i]) - double(b.floats()[i])) / (1.0 + std::fabs(double(b.floats()[i]))));
    return worst;
}

// y of three runs of `rt`: the fused fast run, the unfused fast run and the reference kernels,
// with each run's kernel paths.
struct ThreeRuns {
    Tensor fused, unfused, reference;
    bg::FloatKernelPaths fusedPaths, unfusedPaths, referencePaths;
};
ThreeRuns runThreeWays(const bg::FloatRuntime& rt, const bg::TensorMap& in)
{
    ThreeRuns r;
    bg::RunOptions fused;
    fused.paths = &r.fusedPaths;
    r.fused = rt.run(in, fused).at("y");
    bg::RunOptions unfused;
    unfused.fuse = false;
    unfused.paths = &r.unfusedPaths;
    r.unfused = rt.run(in, unfused).at("y");
    bg::RunOptions reference;
    reference.kernels = bg::KernelChoice::Reference;
    reference.paths = &r.referencePaths;
    r.reference = rt.run(in, reference).at("y");
    return r;
}

} // namespace

class TestConvFusion : public QObject {
    Q_OBJECT
private slots:
    void fusedMatchesUnfusedAndReference_data()
    {
        QTest::addColumn<QString>("act");
        QTest::newRow("Relu") << "Relu";
        QTest::newRow("Clip") << "Clip";
        QTest::newRow("Clip without min") << "ClipNoMin";
        QTest::newRow("HardSwish") << "HardSwish";
        QTest::newRow("Sigmoid") << "Sigmoid";
        QTest::newRow("HardSigmoid") << "HardSigmoid";
    }

    void fusedMatchesUnfusedAndReference()
    {
        QFETCH(QString, act);
        const bg::Graph g = buildModel(act);
        const auto fusions = bg::findConvFusions(g);
        QVERIFY(fusions[0].has_value());
        QCOMPARE(fusions[0]->fusedNodes, std::vector<size_t>{1});
        QCOMPARE(fusions[0]->output, std::string("y"));
        const bg::FloatRuntime rt(g);
        const ThreeRuns r = runThreeWays(rt, inputs());
        const Tensor& yFused = r.fused;
        const Tensor& yUnfused = r.unfused;
        const Tensor& yReference = r.reference;
        QCOMPARE(r.fusedPaths.fused, int64_t(1));
        QCOMPARE(r.fusedPaths.fast, int64_t(1));
        QCOMPARE(r.unfusedPaths.fused, int64_t(0));
        QCOMPARE(r.referencePaths.fused, int64_t(0));  // the reference path runs every node on its own

        QCOMPARE(yFused.shape(), yReference.shape());
        QVERIFY2(maxRelDiff(yFused, yUnfused) < 1e-5, qPrintable(QString::number(maxRelDiff(yFused, yUnfused))));
        QVERIFY2(maxRelDiff(yFused, yReference) < 1e-4, qPrintable(QString::number(maxRelDiff(yFused, yReference))));
        // The activation really did something (a fusion that dropped it would fail here).
        bg::RunOptions keepZ;
        keepZ.keep.insert("z");
        const Tensor z = rt.run(inputs(), keepZ).at("z");
        QVERIFY(maxRelDiff(z, yReference) > 1e-3);
    }

    void paddleChainFuses_data()
    {
        QTest::addColumn<QString>("last");
        QTest::addColumn<int>("fusedNodes");  // the Conv's chain, in nodes
        QTest::newRow("ends in Add") << "Add" << 8;
        QTest::newRow("ends in Sub") << "Sub" << 8;
        QTest::newRow("ends in Div") << "Div3" << 8;
        QTest::newRow("ends in Sub from a constant (not fused)") << "SubFirst" << 7;
    }

    // The detector's chain after a Conv (scalar affine, HardSwish written out, scalar affine) runs
    // inside it and matches the unfused run and the reference kernels.
    void paddleChainFuses()
    {
        QFETCH(QString, last);
        QFETCH(int, fusedNodes);
        const bg::Graph g = buildPaddleChain(last.toStdString());
        const auto fusions = bg::findConvFusions(g);
        QVERIFY(fusions[0].has_value());
        QCOMPARE(fusions[0]->fusedNodes.size(), size_t(fusedNodes));
        QCOMPARE(fusions[0]->output, std::string(fusedNodes == 8 ? "y" : "m2"));
        std::vector<bg::ConvPostOpKind> kinds;
        for (const bg::ConvPostOp& op : fusions[0]->postOps)
            kinds.push_back(op.kind);
        using K = bg::ConvPostOpKind;
        std::vector<K> want{K::Mul, K::Add, K::HardSwish, K::Mul};
        if (last == "Add")
            want.push_back(K::Add);
        else if (last == "Sub")
            want.push_back(K::Sub);
        else if (last == "Div3")
            want.push_back(K::Div);
        QCOMPARE(kinds, want);

        const bg::FloatRuntime rt(g);
        const ThreeRuns r = runThreeWays(rt, inputs());
        const Tensor& y = r.fused;
        const Tensor& yReference = r.reference;
        QCOMPARE(r.fusedPaths.fused, int64_t(1));
        QVERIFY2(maxRelDiff(y, r.unfused) < 1e-5, qPrintable(QString::number(maxRelDiff(y, r.unfused))));
        QVERIFY2(maxRelDiff(y, yReference) < 1e-4, qPrintable(QString::number(maxRelDiff(y, yReference))));
        // The chain did something: without its last link the values differ.
        bg::RunOptions keepM2;
        keepM2.keep.insert("m2");
        QVERIFY(maxRelDiff(rt.run(inputs(), keepM2).at("m2"), yReference) > 1e-3);
    }

    // Conv -> BatchNormalization -> HardSwish (how Paddle exports MobileNetV3: the classifier's 53
    // Conv layers) runs as one primitive: the BatchNormalization as a per-channel multiply and add.
    void batchNormFuses_data()
    {
        QTest::addColumn<QString>("act");
        QTest::addColumn<bool>("handOff");  // a second Conv reads the chain's output
        QTest::newRow("BN") << "" << false;
        QTest::newRow("BN + Relu") << "Relu" << false;
        QTest::newRow("BN + HardSwish") << "HardSwish" << false;
        QTest::newRow("BN + Relu, handed to a Conv") << "Relu" << true;
    }
    void batchNormFuses()
    {
        QFETCH(QString, act);
        QFETCH(bool, handOff);
        OnnxBuilder b(13);
        b.input("x", {1, 8, 12, 12}).output("y");
        b.initializer("W", randomTensor({16, 8, 3, 3}, 7, 0.5f)).initializer("B", randomTensor({16}, 8, 0.5f));
        b.initializer("gamma", randomTensor({16}, 21, 2.0f)).initializer("beta", randomTensor({16}, 22, 1.0f));
        b.initializer("mean", randomTensor({16}, 23, 0.5f));
        Tensor var = randomTensor({16}, 24, 1.0f);
        for (float& v : var.floats())
            v = std::fabs(v) + 0.05f;
        b.initializer("var", var);
        b.node("Conv", {"x", "W", "B"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
        const std::string bnOut = act.isEmpty() && !handOff ? "y" : "n";
        b.node("BatchNormalization", {"z", "gamma", "beta", "mean", "var"}, {bnOut}, {{"epsilon", 1e-3f}}, "bn");
        const std::string actOut = handOff ? "a" : "y";
        if (!act.isEmpty())
            b.node(act.toStdString(), {"n"}, {actOut}, {}, "act");
        if (handOff) {
            b.initializer("W2", randomTensor({4, 16, 1, 1}, 9, 0.5f));
            b.node("Conv", {"a", "W2"}, {"y"}, {}, "conv2");
        }
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "conv_bn.onnx");
        const auto fusions = bg::findConvFusions(g);
        QVERIFY(fusions[0].has_value());
        using K = bg::ConvPostOpKind;
        std::vector<K> kinds;
        for (const bg::ConvPostOp& op : fusions[0]->postOps)
            kinds.push_back(op.kind);
        std::vector<K> want{K::ChannelMul, K::ChannelAdd};
        if (act == "Relu")
            want.push_back(K::Relu);
        if (act == "HardSwish")
            want.push_back(K::HardSwish);
        QCOMPARE(kinds, want);
        QCOMPARE(fusions[0]->postOps[0].channel.size(), size_t(16));

        const bg::FloatRuntime rt(g);
        const ThreeRuns r = runThreeWays(rt, inputs());
        const Tensor& y = r.fused;
        const Tensor& yUnfused = r.unfused;
        const Tensor& yReference = r.reference;
        QCOMPARE(r.fusedPaths.fused, int64_t(1));
        QCOMPARE(r.fusedPaths.handed, int64_t(handOff ? 1 : 0));
        QVERIFY2(maxRelDiff(y, yUnfused) < 1e-5, qPrintable(QString::number(maxRelDiff(y, yUnfused))));
        QVERIFY2(maxRelDiff(y, yReference) < 1e-4, qPrintable(QString::number(maxRelDiff(y, yReference))));
        // The BatchNormalization did something: the Conv's own output is far from y.
        bg::RunOptions keepZ;
        keepZ.keep.insert("z");
        if (!handOff)
            QVERIFY(maxRelDiff(rt.run(inputs(), keepZ).at("z"), yReference) > 1e-2);
        // One multiply and one add with the kernel's coefficients: the unfused fast run's bits (oneDNN's
        // HardSwish post-op rounds differently from the HardSwish kernel: tolerance only there).
        if (act != "HardSwish")
            QVERIFY(std::equal(y.floats().begin(), y.floats().end(), yUnfused.floats().begin()));
    }

    // Two activations never share a chain: oneDNN 2.6 would run both eltwise post-ops of one
    // algorithm with one's parameters (HardSigmoid is linear + clip, the Clip after it a second clip).
    void oneActivationPerChain()
    {
        OnnxBuilder b(13);
        b.input("x", {1, 8, 12, 12}).output("y");
        b.initializer("W", randomTensor({16, 8, 3, 3}, 7, 0.5f)).initializer("B", randomTensor({16}, 8, 0.5f));
        b.initializer("lo", Tensor::scalar(0.1f)).initializer("hi", Tensor::scalar(0.7f));
        b.initializer("s", Tensor::scalar(1.5f));
        b.node("Conv", {"x", "W", "B"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
        b.node("HardSigmoid", {"z"}, {"h"}, {{"alpha", 0.3f}, {"beta", 0.4f}}, "act");
        b.node("Mul", {"h", "s"}, {"m"}, {}, "scale");
        b.node("Clip", {"m", "lo", "hi"}, {"y"}, {}, "clip");
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "two_acts.onnx");
        const auto fusions = bg::findConvFusions(g);
        QVERIFY(fusions[0].has_value());
        QCOMPARE(fusions[0]->fusedNodes, (std::vector<size_t>{1, 2}));
        QCOMPARE(fusions[0]->output, std::string("m"));
        const bg::FloatRuntime rt(g);
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        QVERIFY(maxRelDiff(rt.run(inputs(), {}).at("y"), rt.run(inputs(), reference).at("y")) < 1e-5);
    }

    // A tensor inside the chain that someone sees (kept by the run, or a graph output) is computed.
    void chainStopsAtObservedTensors()
    {
        {
            const bg::Graph g = buildPaddleChain("Add", true);
            const auto fusions = bg::findConvFusions(g);
            QVERIFY(fusions[0].has_value());
            QCOMPARE(fusions[0]->output, std::string("hs"));  // the chain ends at the graph output
            const bg::FloatRuntime rt(g);
            const bg::TensorMap out = rt.run(inputs(), {});
            QVERIFY(out.count("hs") == 1 && out.count("y") == 1);
        }
        const bg::Graph g = buildPaddleChain("Add");
        const bg::FloatRuntime rt(g);
        bg::RunOptions keep;
        bg::FloatKernelPaths paths;
        keep.paths = &paths;
        keep.keep.insert("a3");  // inside the written-out HardSwish
        const bg::TensorMap out = rt.run(inputs(), keep);
        QCOMPARE(paths.fused, int64_t(0));
        QVERIFY(out.count("a3") == 1);
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        QVERIFY(maxRelDiff(out.at("y"), rt.run(inputs(), reference).at("y")) < 1e-4);
    }

    // Conv -> Conv -> Conv with the tensors between them left in oneDNN's layout (ConvHandoff): the
    // same values as a run that converts to NCHW around every Conv, and as the reference kernels; a
    // tensor also read by another operator, or kept, is handed over as NCHW.
    void handoffBetweenConvs_data()
    {
        QTest::addColumn<bool>("secondReader");  // a Neg also reads the middle tensor
        QTest::addColumn<bool>("keepMiddle");
        QTest::newRow("conv chain") << false << false;
        QTest::newRow("middle also read by Neg") << true << false;
        QTest::newRow("middle kept") << false << true;
    }

    void handoffBetweenConvs()
    {
        QFETCH(bool, secondReader);
        QFETCH(bool, keepMiddle);
        OnnxBuilder b(13);
        b.input("x", {1, 8, 20, 20}).output("y");
        b.initializer("W1", randomTensor({24, 8, 3, 3}, 7, 0.5f)).initializer("B1", randomTensor({24}, 8, 0.5f));
        b.initializer("W2", randomTensor({24, 1, 3, 3}, 9, 0.5f));
        b.initializer("W3", randomTensor({16, 24, 1, 1}, 10, 0.5f)).initializer("B3", randomTensor({16}, 12, 0.5f));
        b.node("Conv", {"x", "W1", "B1"}, {"z1"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv1");
        // The Add leaves the padding of a channel-blocked layout (24 channels in blocks of 16 or 8)
        // non-zero: the next Conv must not read it.
        b.initializer("half", Tensor::scalar(0.5f));
        b.node("Relu", {"z1"}, {"r1"}, {}, "relu1");
        b.node("Add", {"r1", "half"}, {"a1"}, {}, "shift1");
        b.node("Conv", {"a1", "W2"}, {"z2"},
               {{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"group", int64_t{24}}, {"strides", std::vector<int64_t>{2, 2}}},
               "dw");
        b.node("Conv", {"z2", "W3", "B3"}, {"y"}, {}, "pw");
        if (secondReader) {
            b.output("n");
            b.node("Neg", {"a1"}, {"n"}, {}, "neg");
        }
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "handoff.onnx");
        const bg::FloatRuntime rt(g);
        bg::RunOptions handed;
        if (keepMiddle)
            handed.keep.insert("a1");
        bg::FloatKernelPaths paths;
        handed.paths = &paths;
        const bg::TensorMap out = rt.run(inputs20(), handed);
        QCOMPARE(paths.fast, int64_t(3));
        QCOMPARE(paths.handed, int64_t(secondReader || keepMiddle ? 1 : 2));
        bg::RunOptions plain = handed;
        bg::FloatKernelPaths plainPaths;
        plain.paths = &plainPaths;
        plain.handoff = false;
        const bg::TensorMap outPlain = rt.run(inputs20(), plain);
        QCOMPARE(plainPaths.handed, int64_t(0));
        // Reorders move values without arithmetic: the same bits either way.
        QCOMPARE(out.at("y").floats().size(), outPlain.at("y").floats().size());
        QVERIFY(std::equal(out.at("y").floats().begin(), out.at("y").floats().end(), outPlain.at("y").floats().begin()));
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        QVERIFY(maxRelDiff(out.at("y"), rt.run(inputs20(), reference).at("y")) < 1e-4);
        if (keepMiddle)
            QVERIFY(out.count("a1") == 1 && out.at("a1").shape() == (bg::Shape{1, 24, 20, 20}));
        if (secondReader)
            QVERIFY(out.count("n") == 1);
    }

    // A squeeze-and-excitation block and a residual Add between Convs: GlobalAveragePool, the Mul by
    // the scales and the Add run on the tensors in oneDNN's layout (dnnl_handed_ops.h), with the
    // same bits as a run that converts to NCHW around every Conv. A Mul by a full-size plain tensor
    // is a form they do not cover: its handed operand is reordered to NCHW for it, and the Add after
    // it then meets a plain operand of full size too.
    void handoffThroughSqueezeExcitation_data()
    {
        QTest::addColumn<bool>("fullSizeScale");
        QTest::addColumn<int64_t>("handed");
        QTest::addColumn<int64_t>("readHanded");
        QTest::addColumn<int64_t>("unhanded");
        // Handed: conv1's z, the two SE Convs' outputs, the Mul's m, pw's p and the Add's r.
        QTest::newRow("SE scales from Convs") << false << int64_t(6) << int64_t(3) << int64_t(0);
        // z and p; the Mul reorders z (and writes m in NCHW), the Add reorders p.
        QTest::newRow("scales as a full-size input") << true << int64_t(2) << int64_t(0) << int64_t(2);
    }

    void handoffThroughSqueezeExcitation()
    {
        QFETCH(bool, fullSizeScale);
        QFETCH(int64_t, handed);
        QFETCH(int64_t, readHanded);
        QFETCH(int64_t, unhanded);
        OnnxBuilder b(13);
        b.input("x", {1, 8, 20, 20}).output("y");
        // 12 channels: the last block of 8 or 16 is part padding.
        b.initializer("W1", randomTensor({12, 8, 3, 3}, 21, 0.5f)).initializer("B1", randomTensor({12}, 22, 0.5f));
        b.initializer("Wr", randomTensor({4, 12, 1, 1}, 23, 0.5f)).initializer("Br", randomTensor({4}, 24, 0.5f));
        b.initializer("We", randomTensor({12, 4, 1, 1}, 25, 0.5f)).initializer("Be", randomTensor({12}, 26, 0.5f));
        b.initializer("Wp", randomTensor({12, 12, 1, 1}, 27, 0.5f));
        b.initializer("Wo", randomTensor({8, 12, 1, 1}, 28, 0.5f)).initializer("Bo", randomTensor({8}, 29, 0.5f));
        b.node("Conv", {"x", "W1", "B1"}, {"c1"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv1");
        b.node("Relu", {"c1"}, {"z"}, {}, "relu1");
        const char* scales = fullSizeScale ? "t" : "s";
        if (fullSizeScale) {
            b.input("t", {1, 12, 20, 20});
        } else {
            b.node("GlobalAveragePool", {"z"}, {"g"}, {}, "squeeze");
            b.node("Conv", {"g", "Wr", "Br"}, {"r0"}, {}, "reduce");
            b.node("Relu", {"r0"}, {"r1"}, {}, "relu2");
            b.node("Conv", {"r1", "We", "Be"}, {"e0"}, {}, "expand");
            b.node("HardSigmoid", {"e0"}, {"s"}, {}, "gate");
        }
        b.node("Mul", {"z", scales}, {"m"}, {}, "excite");
        b.node("Conv", {"m", "Wp"}, {"p"}, {}, "pw");
        b.node("Add", {"p", "m"}, {"r"}, {}, "residual");
        b.node("Conv", {"r", "Wo", "Bo"}, {"y"}, {}, "out");
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "se.onnx");
        const bg::FloatRuntime rt(g);
        bg::TensorMap in = inputs20();
        if (fullSizeScale)
            in["t"] = randomTensor({1, 12, 20, 20}, 30, 1.0f);
        bg::RunOptions options;
        bg::FloatKernelPaths paths;
        options.paths = &paths;
        const bg::TensorMap out = rt.run(in, options);
        QCOMPARE(paths.handed, handed);
        QCOMPARE(paths.readHanded, readHanded);
        QCOMPARE(paths.unhanded, unhanded);
        bg::RunOptions plain = options;
        bg::FloatKernelPaths plainPaths;
        plain.paths = &plainPaths;
        plain.handoff = false;
        const bg::TensorMap outPlain = rt.run(in, plain);
        QCOMPARE(plainPaths.handed + plainPaths.readHanded + plainPaths.unhanded, int64_t(0));
        QCOMPARE(out.at("y").shape(), outPlain.at("y").shape());
        QVERIFY(std::equal(out.at("y").floats().begin(), out.at("y").floats().end(), outPlain.at("y").floats().begin()));
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        QVERIFY(maxRelDiff(out.at("y"), rt.run(in, reference).at("y")) < 1e-4);
    }

    // The reference path is the unchanged per-node oracle: a run equals Conv then the activation,
    // each node's reference kernel on its own.
    void referencePathIsPerNode()
    {
        const bg::Graph g = buildModel("HardSwish");
        const bg::FloatRuntime rt(g);
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        const Tensor y = rt.run(inputs(), reference).at("y");
        const bg::OpRegistry& reg = bg::OpRegistry::instance();
        const Tensor x = inputs().at("x");
        const auto z = bg::runNode(*reg.find("Conv"), g.nodes[0], {&x, g.constant("W"), g.constant("B")}, g.opset,
                                   bg::KernelChoice::Reference);
        const auto y2 = bg::runNode(*reg.find("HardSwish"), g.nodes[1], {&z[0]}, g.opset, bg::KernelChoice::Reference);
        QCOMPARE(y.floats().size(), y2[0].floats().size());
        QVERIFY(std::equal(y.floats().begin(), y.floats().end(), y2[0].floats().begin()));
    }

    // Pairs that must not fuse: the Conv's output is read by someone else or is a graph output.
    void notFused_data()
    {
        QTest::addColumn<bool>("convIsOutput");
        QTest::addColumn<bool>("secondReader");
        QTest::addColumn<QString>("act");
        QTest::newRow("conv output is a graph output") << true << false << "Relu";
        QTest::newRow("a second reader") << false << true << "Relu";
        QTest::newRow("not an activation") << false << false << "Neg";
    }

    void notFused()
    {
        QFETCH(bool, convIsOutput);
        QFETCH(bool, secondReader);
        QFETCH(QString, act);
        const bg::Graph g = buildModel(act, convIsOutput, secondReader);
        QVERIFY(!bg::findConvFusions(g)[0].has_value());
        const bg::FloatRuntime rt(g);
        bg::RunOptions options;
        bg::FloatKernelPaths paths;
        options.paths = &paths;
        const bg::TensorMap out = rt.run(inputs(), options);
        QCOMPARE(paths.fused, int64_t(0));
        if (convIsOutput)
            QVERIFY(out.count("z") == 1);
    }

    // A run that observes the Conv's output gets it, unfused.
    void observersDisableFusion()
    {
        const bg::Graph g = buildModel("Relu");
        const bg::FloatRuntime rt(g);
        {
            bg::RunOptions o;
            bg::FloatKernelPaths paths;
            o.paths = &paths;
            o.keep.insert("z");
            const bg::TensorMap out = rt.run(inputs(), o);
            QCOMPARE(paths.fused, int64_t(0));
            QVERIFY(out.count("z") == 1);
            QVERIFY(out.count("y") == 1);
        }
        {
            bg::RunOptions o;
            bg::FloatKernelPaths paths;
            o.paths = &paths;
            o.keepAll = true;
            QVERIFY(rt.run(inputs(), o).count("z") == 1);
            QCOMPARE(paths.fused, int64_t(0));
        }
        {
            bg::RunOptions o;
            bg::FloatKernelPaths paths;
            o.paths = &paths;
            std::vector<std::string> seen;
            o.onNodeDone = [&](const bg::Node& node, const std::vector<Tensor>&) { seen.push_back(node.name); };
            rt.run(inputs(), o);
            QCOMPARE(paths.fused, int64_t(0));
            QCOMPARE(seen, (std::vector<std::string>{"conv", "act"}));
        }
    }

    // Clip bounds that are not constants (a graph input) leave the Clip unfused.
    void clipWithRuntimeBoundsNotFused()
    {
        OnnxBuilder b(13);
        b.input("x", {1, 8, 12, 12}).input("hi", {}).output("y");
        b.initializer("W", randomTensor({16, 8, 3, 3}, 7, 0.5f));
        b.node("Conv", {"x", "W"}, {"z"}, {}, "conv");
        b.node("Clip", {"z", "", "hi"}, {"y"}, {}, "act");
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "clip.onnx");
        QVERIFY(!bg::findConvFusions(g)[0].has_value());
    }
};

QTEST_GUILESS_MAIN(TestConvFusion)
#include "tst_conv_fusion.moc"
