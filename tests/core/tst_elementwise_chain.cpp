// Element-wise chains of the integer pipeline (integer/elementwise_chain.h): which nodes the planner
// joins, and that a run evaluating them block by block gives the bytes of the node-by-node run.
// keepActivationCodes turns the chains off and leaves everything else as it is (the fast integer
// kernels too), so the two runs differ in the chains alone.
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "common/prepared_runtime.h"
#include "common/same_bytes.h"
#include "export/onnx_builder.h"
#include "integer/activation_quantizer.h"
#include "integer/elementwise_chain.h"
#include "model/model_loader.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <random>

using bg::OnnxBuilder;
using bg::Tensor;
using bgtest::sameBytes;

namespace {

constexpr int64_t C = 5, H = 37, W = 41;  // a plane of 1517 elements: one full block and a partial one

Tensor filled(bg::Shape shape, float base, float step)
{
    std::vector<float> v(static_cast<size_t>(bg::shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = base + step * static_cast<float>(i % 7) * (i % 2 ? -1.0f : 1.0f);
    return Tensor(std::move(shape), std::move(v));
}

Tensor perChannel(float base, float step) { return filled({1, C, 1, 1}, base, step); }

// x -> conv1 -> [the variant's element-wise nodes, ending in "e"] -> conv2 -> y.
enum class Variant {
    PaddleBlock,       // Mul(w, t), Add(., b), HardSwish as Add(3), Clip(0, 6), Mul(Add, Clip), Div(6), Mul, Add
    OutputMidChain,    // a stage in the middle is also a graph output
    ReadAfterChain,    // a stage in the middle is read again after conv2 (a residual Add)
    OtherOps,          // Sub with the constant first, Relu, Clip with only a lower bound, Div of two tensors
    RowBroadcast,      // a constant of shape [1, 1, 1, W]: not per channel, so the nodes run one at a time
    SqueezeExcite,     // t + t·HardSigmoid(Conv(GlobalAveragePool(t))): a chain input of one value per plane
};

bg::Graph buildModel(Variant variant)
{
    OnnxBuilder b(13);
    b.input("x", {1, 3, H, W}).output("y");
    std::vector<float> w1(C * 3 * 9), w2(4 * C * 9);
    uint32_t s = 777;
    auto next = [&] { s = s * 1664525u + 1013904223u; return static_cast<float>((s >> 8) % 2001) / 1000.0f - 1.0f; };
    for (float& v : w1) v = next();
    for (float& v : w2) v = next() * 0.3f;
    b.initializer("W1", Tensor({C, 3, 3, 3}, w1)).initializer("W2", Tensor({4, C, 3, 3}, w2));
    const std::vector<OnnxBuilder::Attr> pads{{"pads", std::vector<int64_t>{1, 1, 1, 1}}};
    b.node("Conv", {"x", "W1"}, {"t"}, pads, "conv1");
    b.initializer("scale", perChannel(0.8f, 0.07f)).initializer("shift", perChannel(0.1f, 0.2f));
    b.initializer("three", Tensor::scalar(3.0f)).initializer("six", Tensor::scalar(6.0f));
    b.initializer("zero", Tensor::scalar(0.0f));
    switch (variant) {
    case Variant::PaddleBlock:
    case Variant::OutputMidChain:
    case Variant::ReadAfterChain:
        b.node("Mul", {"scale", "t"}, {"m1"}, {}, "mul1");
        b.node("Add", {"m1", "shift"}, {"a1"}, {}, "add1");
        b.node("Add", {"a1", "three"}, {"a3"}, {}, "add3");
        b.node("Clip", {"a3", "zero", "six"}, {"c"}, {}, "clip");
        b.node("Mul", {"a1", "c"}, {"m2"}, {}, "mul2");
        b.node("Div", {"m2", "six"}, {"h"}, {}, "div");
        b.node("Mul", {"scale", "h"}, {"m3"}, {}, "mul3");
        b.node("Add", {"m3", "shift"}, {"e"}, {}, "add4");
        break;
    case Variant::OtherOps:
        b.node("Sub", {"three", "t"}, {"s1"}, {}, "sub");
        b.node("Relu", {"s1"}, {"r"}, {}, "relu");
        b.node("Clip", {"t", "zero"}, {"c"}, {}, "clip_lo");
        b.node("Add", {"c", "three"}, {"c3"}, {}, "add3");
        b.node("Div", {"r", "c3"}, {"e"}, {}, "div");
        break;
    case Variant::RowBroadcast:
        b.initializer("row", filled({1, 1, 1, W}, 0.5f, 0.1f));
        b.node("Mul", {"t", "row"}, {"m1"}, {}, "mul_row");
        b.node("Add", {"m1", "three"}, {"e"}, {}, "add3");
        break;
    case Variant::SqueezeExcite: {
        std::vector<float> wse(C * C);
        for (float& v : wse) v = next();
        b.initializer("Wse", Tensor({C, C, 1, 1}, wse));
        b.node("GlobalAveragePool", {"t"}, {"g"}, {}, "gap");
        b.node("Conv", {"g", "Wse"}, {"gs"}, {}, "conv_se");
        b.node("HardSigmoid", {"gs"}, {"s"}, {}, "hardsigmoid");
        b.node("Mul", {"t", "s"}, {"m"}, {}, "mul_se");
        b.node("Add", {"t", "m"}, {"e"}, {}, "add_se");
        break;
    }
    }
    b.node("Conv", {"e", "W2"}, {variant == Variant::ReadAfterChain ? "z" : "y"}, pads, "conv2");
    if (variant == Variant::OutputMidChain)
        b.output("h");
    if (variant == Variant::ReadAfterChain) {
        b.initializer("W3", Tensor({4, C, 1, 1}, std::vector<float>(4 * C, 0.25f)));
        b.node("Conv", {"h", "W3"}, {"hz"}, {}, "conv3");
        b.node("Add", {"z", "hz"}, {"y"}, {}, "residual");
    }
    return bg::loadModelFromBytes(b.serialize(), "chain.onnx");
}

} // namespace

class TestElementwiseChain : public QObject {
    Q_OBJECT
private slots:
    void planJoinsPaddlesBlock()
    {
        const bg::Graph g = buildModel(Variant::PaddleBlock);
        std::vector<bool> floatNode(g.nodes.size(), true);
        floatNode.front() = floatNode.back() = false;  // the two convolutions run as groups
        const auto chains = bg::planElementwiseChains(g, floatNode, true);
        QCOMPARE(chains.size(), size_t(1));
        const bg::ElementwiseChain& chain = chains[0];
        QCOMPARE(chain.stages.size(), size_t(8));
        QCOMPARE(chain.inputs, std::vector<std::string>{"t"});
        // mul2 reads add1 (stage 1) and clip (stage 3): the diamond stays inside the chain.
        const bg::ChainStage& mul2 = chain.stages[4];
        QCOMPARE(mul2.operands.size(), size_t(2));
        QVERIFY(mul2.operands[0].kind == bg::ChainOperand::Kind::Stage && mul2.operands[0].index == 1);
        QVERIFY(mul2.operands[1].kind == bg::ChainOperand::Kind::Stage && mul2.operands[1].index == 3);
        QCOMPARE(chain.stages[3].lo, 0.0f);
        QCOMPARE(chain.stages[3].hi, 6.0f);
        for (size_t s = 0; s < 8; ++s)
            QCOMPARE(chain.stages[s].readAfter, s == 7);  // only "e" is read after the chain

        // The onnxruntime arithmetic runs a Mul of two tensors as QLinearMul: the chain ends before it.
        const auto split = bg::planElementwiseChains(g, floatNode, false);
        QCOMPARE(split.size(), size_t(2));
        QCOMPARE(split[0].stages.size(), size_t(4));
        QCOMPARE(split[1].stages.size(), size_t(3));
        QCOMPARE(split[1].inputs, std::vector<std::string>{"m2"});
        QVERIFY(split[0].stages[1].readAfter);  // add1, read by the Mul outside
    }

    void sameBytesAsNodeByNode_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<bool>("ortArithmetic");
        QTest::addColumn<int>("activationBits");
        QTest::addColumn<int>("chainedNodes");
        QTest::addColumn<int>("inRequantization");
        QTest::addColumn<int>("operatorsOnCodes");
        // Nodes the chains run: with the onnxruntime arithmetic a Mul of two tensors is QLinearMul,
        // outside any chain; the residual Add of "read after the chain" is a chain of its own.
        // Chains applied inside conv1's requantization (its output feeds the chain alone and one
        // stage is read after it): not where a mid-chain stage is a graph output or read again,
        // nor where QLinearMul splits the block, nor with a constant that is not per channel. The
        // squeeze-excite's GlobalAveragePool runs on conv1's codes (and the chain reads the scale,
        // one value per plane, and conv1's codes; with QLinearMul only the Add is a chain).
        const struct {
            const char* name;
            Variant v;
            int chained, chainedOrt, fused, fusedOrt, pools;
        } variants[] = {{"paddle block", Variant::PaddleBlock, 8, 7, 1, 0, 0},
                        {"output mid-chain", Variant::OutputMidChain, 8, 7, 0, 0, 0},
                        {"read after the chain", Variant::ReadAfterChain, 9, 8, 0, 0, 0},
                        {"sub relu clip div", Variant::OtherOps, 5, 5, 1, 1, 0},
                        {"row broadcast", Variant::RowBroadcast, 0, 0, 0, 0, 0},
                        {"squeeze-excite", Variant::SqueezeExcite, 2, 1, 0, 0, 1}};
        for (const auto& v : variants) {
            QTest::addRow("%s, exact, 8 bits", v.name) << int(v.v) << false << 8 << v.chained << v.fused << v.pools;
            QTest::addRow("%s, exact, 5 bits", v.name) << int(v.v) << false << 5 << v.chained << v.fused << v.pools;
            QTest::addRow("%s, onnxruntime, 8 bits", v.name) << int(v.v) << true << 8 << v.chainedOrt << v.fusedOrt << v.pools;
        }
    }

    void sameBytesAsNodeByNode()
    {
        QFETCH(int, variant);
        QFETCH(bool, ortArithmetic);
        QFETCH(int, activationBits);
        QFETCH(int, chainedNodes);
        QFETCH(int, inRequantization);
        QFETCH(int, operatorsOnCodes);
        const bg::Graph g = buildModel(static_cast<Variant>(variant));
        const auto model = bg::makeModelStructure(g);
        bg::SyntheticCalibrationSource source(model->graph, {}, 2);
        const bg::RangeTable ranges = bg::calibrate(model->graph, model->pairs, source);
        bg::QuantSettings settings;
        settings.weightBits = 8;
        settings.activationBits = activationBits;
        settings.arithmetic = ortArithmetic ? bg::Arithmetic::OnnxRuntime : bg::Arithmetic::Exact;
        const bgtest::PreparedRuntime prepared(model->graph, ranges, settings, bg::FixPlan(bg::Strategy::Auto));
        const bg::TensorMap inputs = source.sample(1);

        bg::IntegerRunOptions chained;
        chained.keepGroupOutputs = true;
        bg::IntegerRunOptions nodeByNode = chained;
        nodeByNode.keepActivationCodes = true;
        const bg::IntegerRunResult a = prepared.rt.run(inputs, chained);
        const bg::IntegerRunResult b = prepared.rt.run(inputs, nodeByNode);
        QCOMPARE(a.stats.chainedNodes, int64_t(chainedNodes));
        QCOMPARE(b.stats.chainedNodes, int64_t(0));
        QCOMPARE(a.stats.operatorsOnCodes, int64_t(operatorsOnCodes));
        QCOMPARE(b.stats.operatorsOnCodes, int64_t(0));
        QCOMPARE(a.outputs.size(), b.outputs.size());
        for (const auto& [name, t] : b.outputs)
            QVERIFY2(sameBytes(a.outputs.at(name), t), name.c_str());
        for (const auto& [name, t] : b.groupOutputs)
            QVERIFY2(sameBytes(a.groupOutputs.at(name), t), name.c_str());
        // Without the group outputs kept, a chain that only a group's output feeds runs inside
        // that group's requantization: the same bytes.
        const bg::IntegerRunResult f = prepared.rt.run(inputs, {});
        QCOMPARE(a.stats.chainsInRequantization, int64_t(0));
        QCOMPARE(f.stats.chainsInRequantization, int64_t(inRequantization));
        // Where the chain runs inside conv1's requantization its one stage read after it feeds
        // conv2 alone: written channels-last, conv2's layout.
        QCOMPARE(f.stats.channelsLastOutputs, int64_t(inRequantization));
        QCOMPARE(a.stats.channelsLastOutputs, int64_t(0));
        QCOMPARE(f.stats.chainedNodes, int64_t(chainedNodes));
        for (const auto& [name, t] : b.outputs)
            QVERIFY2(sameBytes(f.outputs.at(name), t), name.c_str());
        // Not a constant output: the element-wise nodes reach y.
        const auto y = a.outputs.at("y").floats();
        QVERIFY(*std::max_element(y.begin(), y.end()) > *std::min_element(y.begin(), y.end()));

        // A recorded run writes every stage out, so that a re-run can read any of them; its output
        // is the same, and an incremental re-run from it too.
        bg::IntegerRunMemo memo;
        bg::IntegerRunOptions recording = chained;
        recording.record = &memo;
        const bg::IntegerRunResult r = prepared.rt.run(inputs, recording);
        QVERIFY(sameBytes(r.outputs.at("y"), b.outputs.at("y")));
        for (const std::string& name : prepared.rt.quantizedTensors())
            QVERIFY2(memo.tensors.count(name) == 1, name.c_str());
        const std::vector<bool> onlyConv2 = [&] {
            std::vector<bool> v(prepared.rt.groups().groups.size(), false);
            v.back() = true;
            return v;
        }();
        bg::IntegerRunOptions incremental = chained;
        incremental.reuse = &memo;
        incremental.changedGroups = &onlyConv2;
        for (bool reference : {false, true}) {
            incremental.referenceKernels = reference;
            QVERIFY(sameBytes(prepared.rt.run(inputs, incremental).outputs.at("y"), b.outputs.at("y")));
        }
    }

    // A chain of one quantized input looked up in tables built from its 256 codes gives the bytes
    // of the chain evaluated block by block: every stage written, stages kept in float too.
    void tablesEqualBlocks_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<bool>("ortArithmetic");
        QTest::addColumn<bool>("floatStage");
        QTest::newRow("paddle block, exact") << int(Variant::PaddleBlock) << false << false;
        QTest::newRow("paddle block, onnxruntime") << int(Variant::PaddleBlock) << true << false;
        QTest::newRow("paddle block, a stage kept in float") << int(Variant::PaddleBlock) << false << true;
        QTest::newRow("sub relu clip div (scalars only: one table)") << int(Variant::OtherOps) << false << false;
        QTest::newRow("squeeze-excite (a table per plane)") << int(Variant::SqueezeExcite) << false << false;
        QTest::newRow("squeeze-excite, a stage kept in float") << int(Variant::SqueezeExcite) << false << true;
    }

    void tablesEqualBlocks()
    {
        QFETCH(int, variant);
        QFETCH(bool, ortArithmetic);
        QFETCH(bool, floatStage);
        const bg::Arithmetic arithmetic = ortArithmetic ? bg::Arithmetic::OnnxRuntime : bg::Arithmetic::Exact;
        const bg::Graph g = buildModel(static_cast<Variant>(variant));
        std::vector<bool> floatNode(g.nodes.size(), false);
        for (size_t n = 0; n < g.nodes.size(); ++n)
            floatNode[n] = g.nodes[n].opType != "Conv";
        const auto chains = bg::planElementwiseChains(g, floatNode, true);
        QVERIFY(!chains.empty());
        const bg::ElementwiseChain& chain = chains[0];
        // Conv1's output "t", and the squeeze-excite's scale "s" (one value per plane).
        QCOMPARE(chain.inputs.size(), size_t(variant == int(Variant::SqueezeExcite) ? 2 : 1));

        // Each input: codes of every value at random, and their dequantization.
        std::mt19937 rng(5);
        std::vector<bg::ActivationQuant> qin;
        std::vector<bg::QuantActivation> codes(chain.inputs.size());
        std::vector<Tensor> value;
        for (size_t k = 0; k < chain.inputs.size(); ++k) {
            const bool scale = chain.inputs[k] == "s";
            qin.push_back(bg::activationQuantFromRange(scale ? 0.0 : -3.0, scale ? 1.0 : 5.0, 8, arithmetic));
            codes[k].shape = scale ? bg::Shape{1, C, 1, 1} : bg::Shape{1, C, H, W};
            codes[k].zeroPoint = qin[k].zeroPoint;
            codes[k].values.resize(static_cast<size_t>(bg::shapeNumel(codes[k].shape)));
            for (uint8_t& c : codes[k].values)
                c = static_cast<uint8_t>(rng() % 256);
            value.push_back(bg::dequantizeActivation(codes[k], qin[k]));
        }
        std::vector<bg::ChainInput> inputs, codesInput;
        for (size_t k = 0; k < chain.inputs.size(); ++k) {
            inputs.push_back({&value[k], &codes[k], qin[k]});
            codesInput.push_back({nullptr, &codes[k], qin[k]});
        }
        std::vector<std::optional<bg::ActivationQuant>> quant;
        for (size_t s = 0; s < chain.stages.size(); ++s)
            quant.push_back(floatStage && s == std::min<size_t>(2, chain.stages.size() - 2) ? std::nullopt
                                                 : std::optional(bg::activationQuantFromRange(-1.0 - double(s), 4.0 + double(s), 8, arithmetic)));
        // Every stage with its value; then only the last one's codes, from the input's codes alone.
        const std::vector<bg::ChainWrite> all(chain.stages.size(), bg::ChainWrite::Values);
        std::vector<bg::ChainWrite> lastCodes(chain.stages.size(), bg::ChainWrite::None);
        lastCodes.back() = bg::ChainWrite::Codes;
        std::vector<bg::ChainStageResult> tables, blocks, codesOnly, codesOnlyBlocks;
        QVERIFY(bg::runElementwiseChain(chain, inputs, quant, all, int64_t(1) << 30, tables, true));
        QVERIFY(bg::runElementwiseChain(chain, inputs, quant, all, int64_t(1) << 30, blocks, false));
        QVERIFY(bg::runElementwiseChain(chain, codesInput, quant, lastCodes, int64_t(1) << 30, codesOnly, true));
        QVERIFY(bg::runElementwiseChain(chain, codesInput, quant, lastCodes, int64_t(1) << 30, codesOnlyBlocks, false));
        QCOMPARE(tables.size(), chain.stages.size());
        for (size_t s = 0; s < chain.stages.size(); ++s) {
            QVERIFY2(sameBytes(tables[s].value, blocks[s].value), qPrintable(QString("stage %1").arg(s)));
            QCOMPARE(tables[s].quantized, quant[s].has_value());
            QVERIFY(tables[s].codes.values == blocks[s].codes.values);
        }
        QCOMPARE(codesOnly.back().value.numel(), int64_t(0));
        QVERIFY(codesOnly.back().codes.values == tables.back().codes.values);
        QVERIFY(codesOnlyBlocks.back().codes.values == tables.back().codes.values);
        // Not constant: the input's codes reach the last stage.
        const auto last = tables.back().value.floats();
        QVERIFY(*std::max_element(last.begin(), last.end()) > *std::min_element(last.begin(), last.end()));
    }

    // The chain's blocks split across threads (BIASGUARD_PARALLEL_ELEMENTS=1 in the _split ctest
    // run): the same bytes on one thread and on two.
    void sameBytesOnOneAndTwoThreads()
    {
        const bg::Graph g = buildModel(Variant::PaddleBlock);
        const auto model = bg::makeModelStructure(g);
        bg::SyntheticCalibrationSource source(model->graph, {}, 2);
        const bg::RangeTable ranges = bg::calibrate(model->graph, model->pairs, source);
        bg::QuantSettings settings;
        settings.weightBits = 8;
        const bgtest::PreparedRuntime prepared(model->graph, ranges, settings, bg::FixPlan(bg::Strategy::Auto));
        const bg::TensorMap inputs = source.sample(0);
        omp_set_num_threads(1);
        const Tensor one = prepared.rt.run(inputs).outputs.at("y");
        omp_set_num_threads(2);
        const bg::IntegerRunResult two = prepared.rt.run(inputs);
        QCOMPARE(two.stats.chainedNodes, int64_t(8));
        QVERIFY(sameBytes(one, two.outputs.at("y")));
    }
};

QTEST_GUILESS_MAIN(TestElementwiseChain)
#include "tst_elementwise_chain.moc"
