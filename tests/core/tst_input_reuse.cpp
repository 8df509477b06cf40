// Element-wise kernels write into an input the node reads last (KernelContext::dying, set by the
// float runtime), and the broadcast walk merges dims into contiguous rows split across threads
// (runtime/kernels/broadcast.h). Checked here: a run that reuses storage gives the same bits as one
// that cannot (keepAll keeps every tensor, so nothing dies); a tensor read again later, kept, or a
// graph output is never overwritten; the caller's inputs are untouched; the kernels really write in
// place; and the merged-row broadcast equals a naive per-element broadcast on random shapes.
#include "common/random_tensor.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"
#include "runtime/kernels/elementwise.h"

#include <QtTest>

#include <random>

using bg::OnnxBuilder;
using bg::Tensor;

namespace {

Tensor randomTensor(const bg::Shape& shape, uint32_t seed) { return bgtest::randomTensor(shape, seed, 2.0f); }

// r = Relu(x) is read by Add and Mul; a = Add(r, c) is a graph output and read by Mul; the rest is
// a chain of last reads (Mul, HardSwish, Flatten, Div with the dying operand second).
bg::Graph chainModel(const bg::Shape& xs)
{
    OnnxBuilder b(13);
    b.input("x", xs).output("a").output("d");
    b.initializer("c", randomTensor({1, xs[1], 1, 1}, 3)).initializer("s", Tensor::scalar(0.75f));
    b.node("Relu", {"x"}, {"r"}, {}, "relu");
    b.node("Add", {"r", "c"}, {"a"}, {}, "add");
    b.node("Mul", {"r", "a"}, {"m"}, {}, "mul");
    b.node("HardSwish", {"m"}, {"h"}, {}, "hswish");
    b.node("Flatten", {"h"}, {"f"}, {}, "flatten");
    b.node("Div", {"s", "f"}, {"d"}, {}, "div");
    return bg::loadModelFromBytes(b.serialize(), "reuse.onnx");
}

bool sameBits(const Tensor& a, const Tensor& b)
{
    return a.shape() == b.shape() && a.floats().size() == b.floats().size()
        && std::equal(a.floats().begin(), a.floats().end(), b.floats().begin());
}

// The broadcast of a and b by definition: every output index mapped to each operand's index.
std::vector<float> naiveAdd(const Tensor& a, const Tensor& b, const bg::Shape& out)
{
    const size_t rank = out.size();
    std::vector<float> y(static_cast<size_t>(bg::shapeNumel(out)));
    auto offset = [&](const bg::Shape& s, const std::vector<int64_t>& idx) {
        int64_t off = 0;
        const size_t lead = rank - s.size();
        for (size_t d = 0; d < s.size(); ++d)
            off = off * s[d] + (s[d] == 1 ? 0 : idx[lead + d]);
        return off;
    };
    std::vector<int64_t> idx(rank, 0);
    for (size_t i = 0; i < y.size(); ++i) {
        int64_t rest = static_cast<int64_t>(i);
        for (size_t d = rank; d-- > 0;) {
            idx[d] = rest % out[d];
            rest /= out[d];
        }
        y[i] = a.floats()[static_cast<size_t>(offset(a.shape(), idx))] + b.floats()[static_cast<size_t>(offset(b.shape(), idx))];
    }
    return y;
}

} // namespace

class TestInputReuse : public QObject {
    Q_OBJECT
private slots:
    void reuseChangesNoBits_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::newRow("small (one thread)") << 4 << 8;
        QTest::newRow("large (split across threads)") << 16 << 96;
    }

    void reuseChangesNoBits()
    {
        QFETCH(int, channels);
        QFETCH(int, side);
        const bg::Shape shape{1, channels, side, side};
        const bg::Graph graph = chainModel(shape);
        const bg::TensorMap in{{"x", randomTensor(shape, 11)}};
        const Tensor before = in.at("x");
        const bg::FloatRuntime rt(graph);
        bg::RunOptions reuse;
        bg::RunOptions keepAll;
        keepAll.keepAll = true;  // every tensor is kept: nothing dies, no kernel may reuse
        const bg::TensorMap a = rt.run(in, reuse);
        const bg::TensorMap b = rt.run(in, keepAll);
        QVERIFY(sameBits(a.at("d"), b.at("d")));
        QVERIFY(sameBits(a.at("a"), b.at("a")));  // a graph output Mul also read: not overwritten
        QVERIFY(sameBits(in.at("x"), before));     // the caller's input: not the storage reused
        bg::RunOptions keepR;
        keepR.keep = {"r", "m"};
        const bg::TensorMap c = rt.run(in, keepR);
        QVERIFY(sameBits(c.at("r"), b.at("r")));
        QVERIFY(sameBits(c.at("m"), b.at("m")));
        QVERIFY(sameBits(c.at("d"), b.at("d")));
        // Inputs handed over (run(TensorMap&&)): the same bits.
        bg::TensorMap given = in;
        const bg::TensorMap m = rt.run(std::move(given), reuse);
        QVERIFY(sameBits(m.at("d"), b.at("d")));
        QVERIFY(sameBits(m.at("a"), b.at("a")));
    }

    // A run that takes its inputs frees each after its last reader: Mul, the last reader of x,
    // writes into x's own storage. An input that is also a graph output is returned instead.
    void handedOverInputsDieOrAreReturned()
    {
        const bg::Shape shape{1, 4, 8, 8};
        for (bool inputIsOutput : {false, true}) {
            OnnxBuilder b(13);
            b.input("x", shape).output("y");
            if (inputIsOutput)
                b.output("x");
            b.initializer("half", Tensor::scalar(0.5f));
            b.node("Mul", {"x", "half"}, {"y"}, {}, "mul");
            const bg::Graph graph = bg::loadModelFromBytes(b.serialize(), "mul.onnx");
            const bg::FloatRuntime rt(graph);
            const Tensor x = randomTensor(shape, 17);
            bg::TensorMap in{{"x", x}};
            const float* storage = in.at("x").floats().data();
            const bg::TensorMap out = rt.run(std::move(in));
            for (size_t i = 0; i < x.floats().size(); ++i)
                QCOMPARE(out.at("y").floats()[i], x.floats()[i] * 0.5f);
            if (inputIsOutput) {
                QVERIFY(sameBits(out.at("x"), x));
                QVERIFY(out.at("y").floats().data() != out.at("x").floats().data());
            } else {
                QCOMPARE(out.at("y").floats().data(), storage);
            }
        }
    }

    void kernelsWriteInPlace()
    {
        bg::Node node;
        node.opType = "Add";
        node.name = "add";
        Tensor x = randomTensor({2, 3, 5}, 5);
        const Tensor c = randomTensor({3, 1}, 6);
        const Tensor copy = x;
        const float* storage = x.floats().data();
        bg::KernelContext ctx{node, {&x, &c}, 13};
        ctx.dying = {&x, nullptr};
        const Tensor y = bg::arithmeticBinary(ctx, x, c, [](float p, float q) { return p + q; }, bg::wrapAdd);
        QCOMPARE(y.floats().data(), storage);
        QCOMPARE(y.shape(), copy.shape());
        const std::vector<float> want = naiveAdd(copy, c, copy.shape());
        QVERIFY(std::equal(want.begin(), want.end(), y.floats().begin()));
        // Not dying: a new tensor, x untouched.
        Tensor x2 = copy;
        bg::KernelContext keep{node, {&x2, &c}, 13};
        const Tensor y2 = bg::arithmeticBinary(keep, x2, c, [](float p, float q) { return p + q; }, bg::wrapAdd);
        QVERIFY(y2.floats().data() != x2.floats().data());
        QVERIFY(sameBits(x2, copy));
        QVERIFY(sameBits(y2, y));
        // A unary map takes a dying input too.
        Tensor z = copy;
        const float* zStorage = z.floats().data();
        bg::KernelContext unary{node, {&z}, 13};
        unary.dying = {&z};
        const Tensor r = bg::mapFloat(unary, z, [](float v) { return v * 2.0f; });
        QCOMPARE(r.floats().data(), zStorage);
        for (size_t i = 0; i < r.floats().size(); ++i)
            QCOMPARE(r.floats()[i], copy.floats()[i] * 2.0f);
    }

    void mergedRowsEqualNaiveBroadcast()
    {
        std::mt19937 gen(2024);
        std::uniform_int_distribution<int> rankDist(1, 5), dimDist(1, 6), keep(0, 2);
        bg::Node node;
        node.opType = "Add";
        node.name = "add";
        for (int trial = 0; trial < 300; ++trial) {
            const int rank = rankDist(gen);
            bg::Shape out;
            for (int d = 0; d < rank; ++d)
                out.push_back(dimDist(gen));
            // Each operand: the output's dims, some set to 1, some leading dims dropped.
            auto operand = [&] {
                bg::Shape s;
                const int drop = std::uniform_int_distribution<int>(0, rank - 1)(gen);
                for (int d = drop; d < rank; ++d)
                    s.push_back(keep(gen) == 0 ? 1 : out[static_cast<size_t>(d)]);
                return s;
            };
            const Tensor a = randomTensor(operand(), static_cast<uint32_t>(trial));
            const Tensor b = randomTensor(operand(), static_cast<uint32_t>(trial + 1000));
            bg::KernelContext ctx{node, {&a, &b}, 13};
            const Tensor y = bg::arithmeticBinary(ctx, a, b, [](float p, float q) { return p + q; }, bg::wrapAdd);
            const std::vector<float> want = naiveAdd(a, b, y.shape());
            QVERIFY2(std::equal(want.begin(), want.end(), y.floats().begin()),
                     qPrintable(QString("trial %1: %2 + %3").arg(trial).arg(QString::fromStdString(bg::shapeToString(a.shape())),
                                                                           QString::fromStdString(bg::shapeToString(b.shape())))));
        }
        // One big case split across threads, per-channel operand.
        const Tensor a = randomTensor({1, 24, 128, 128}, 1), b = randomTensor({1, 24, 1, 1}, 2);
        bg::KernelContext ctx{node, {&a, &b}, 13};
        const Tensor y = bg::arithmeticBinary(ctx, a, b, [](float p, float q) { return p + q; }, bg::wrapAdd);
        const std::vector<float> want = naiveAdd(a, b, y.shape());
        QVERIFY(std::equal(want.begin(), want.end(), y.floats().begin()));
    }
};

QTEST_GUILESS_MAIN(TestInputReuse)
#include "tst_input_reuse.moc"
