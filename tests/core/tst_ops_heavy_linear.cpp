// Gemm, MatMul and BatchNormalization: fast kernels against the reference on random data (fixed
// seeds) over tables of configurations, hand-computed cases, and the refusals.
#include "tst_ops_heavy_support.h"

#include <QtTest>

using namespace heavytest;

Q_DECLARE_METATYPE(bg::Shape)

namespace {

bg::Tensor mat(const bg::Shape& shape, std::vector<float> v) { return bg::Tensor(shape, std::move(v)); }

void checkBoth(const bg::Node& node, const std::vector<const bg::Tensor*>& ins, const bg::Tensor& want,
               int64_t opset = 17)
{
    for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
        const auto y = run(node, ins, choice, opset);
        const QString diff = compareTensors(y.at(0), want, 1e-6, 1e-6);
        QVERIFY2(diff.isEmpty(), qPrintable((choice == bg::KernelChoice::Fast ? "fast: " : "reference: ") + diff));
    }
}

QString shapeText(const bg::Tensor& t) { return QString::fromStdString(bg::shapeToString(t.shape())).remove(' '); }

} // namespace

class TestOpsHeavyLinear : public QObject {
    Q_OBJECT
private slots:
    void matMulFastMatchesReference_data()
    {
        QTest::addColumn<bg::Shape>("a");
        QTest::addColumn<bg::Shape>("b");
        QTest::addColumn<QString>("outShape");
        QTest::newRow("2d") << bg::Shape{3, 4} << bg::Shape{4, 5} << "[3,5]";
        QTest::newRow("batch x matrix") << bg::Shape{2, 3, 4} << bg::Shape{4, 5} << "[2,3,5]";
        QTest::newRow("batch x batch") << bg::Shape{2, 3, 4} << bg::Shape{2, 4, 5} << "[2,3,5]";
        QTest::newRow("broadcast batch") << bg::Shape{2, 1, 3, 4} << bg::Shape{3, 4, 5} << "[2,3,3,5]";
        QTest::newRow("matrix x batch") << bg::Shape{3, 4} << bg::Shape{2, 4, 6} << "[2,3,6]";
        QTest::newRow("broadcast both") << bg::Shape{1, 3, 2, 4} << bg::Shape{5, 1, 4, 3} << "[5,3,2,3]";
        QTest::newRow("vector x matrix") << bg::Shape{4} << bg::Shape{4, 5} << "[5]";
        QTest::newRow("matrix x vector") << bg::Shape{3, 4} << bg::Shape{4} << "[3]";
        QTest::newRow("vector x batch") << bg::Shape{4} << bg::Shape{2, 4, 3} << "[2,3]";
        QTest::newRow("batch x vector") << bg::Shape{2, 3, 4} << bg::Shape{4} << "[2,3]";
        QTest::newRow("vector x vector") << bg::Shape{6} << bg::Shape{6} << "[]";
        QTest::newRow("transformer-like") << bg::Shape{1, 4, 25, 16} << bg::Shape{1, 4, 16, 25} << "[1,4,25,25]";
        QTest::newRow("wide k") << bg::Shape{7, 300} << bg::Shape{300, 9} << "[7,9]";
    }
    void matMulFastMatchesReference()
    {
        QFETCH(bg::Shape, a);
        QFETCH(bg::Shape, b);
        QFETCH(QString, outShape);
        const bg::Tensor ta = randomTensor(a, 41), tb = randomTensor(b, 42);
        const bg::Node node = makeNode("MatMul", 2, {});
        const auto ref = run(node, {&ta, &tb}, bg::KernelChoice::Reference);
        QCOMPARE(shapeText(ref.at(0)), outShape);
        bg::FloatKernelPaths paths;
        const auto fast = run(node, {&ta, &tb}, bg::KernelChoice::Fast, 17, &paths);
        const QString path = checkPath(paths, Expect::Fast);
        QVERIFY2(path.isEmpty(), qPrintable(path));
        const QString diff = compareTensors(fast.at(0), ref.at(0));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void matMulHandComputed()
    {
        const bg::Node node = makeNode("MatMul", 2, {});
        const bg::Tensor a = mat({2, 2}, {1, 2, 3, 4}), b = mat({2, 2}, {5, 6, 7, 8});
        checkBoth(node, {&a, &b}, mat({2, 2}, {19, 22, 43, 50}));
        const bg::Tensor u = mat({3}, {1, 2, 3}), v = mat({3}, {4, 5, 6});
        checkBoth(node, {&u, &v}, bg::Tensor(bg::Shape{}, std::vector<float>{32}));
        // Batch of two left matrices against one right matrix (identity and 2*identity).
        const bg::Tensor batch = mat({2, 1, 2}, {1, 2, 3, 4});
        const bg::Tensor id = mat({2, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
        checkBoth(node, {&batch, &id}, mat({2, 1, 2}, {1, 2, 6, 8}));
    }

    void gemmFastMatchesReference_data()
    {
        QTest::addColumn<bool>("transA");
        QTest::addColumn<bool>("transB");
        QTest::addColumn<float>("alpha");
        QTest::addColumn<float>("beta");
        QTest::addColumn<bg::Shape>("c");  // {-1}: no C
        for (bool ta : {false, true})
            for (bool tb : {false, true})
                QTest::addRow("transA %d transB %d", int(ta), int(tb)) << ta << tb << 1.0f << 1.0f << bg::Shape{7};
        QTest::newRow("alpha beta matrix C") << false << true << 0.5f << 2.0f << bg::Shape{5, 7};
        QTest::newRow("column C") << true << false << 1.5f << -1.0f << bg::Shape{5, 1};
        QTest::newRow("scalar C") << false << false << 1.0f << 0.25f << bg::Shape{};
        QTest::newRow("single element C") << false << false << 1.0f << 1.0f << bg::Shape{1};
        QTest::newRow("no C") << false << true << 2.0f << 1.0f << bg::Shape{-1};
    }
    void gemmFastMatchesReference()
    {
        QFETCH(bool, transA);
        QFETCH(bool, transB);
        QFETCH(float, alpha);
        QFETCH(float, beta);
        QFETCH(bg::Shape, c);
        const int64_t m = 5, k = 6, n = 7;
        const bg::Tensor a = randomTensor(transA ? bg::Shape{k, m} : bg::Shape{m, k}, 51);
        const bg::Tensor b = randomTensor(transB ? bg::Shape{n, k} : bg::Shape{k, n}, 52);
        const bool hasC = !(c.size() == 1 && c[0] == -1);
        const bg::Tensor tc = hasC ? randomTensor(c, 53) : bg::Tensor();
        const bg::Node node = makeNode("Gemm", hasC ? 3 : 2,
                                       {{"transA", intAttr(transA)}, {"transB", intAttr(transB)},
                                        {"alpha", floatAttr(alpha)}, {"beta", floatAttr(beta)}});
        std::vector<const bg::Tensor*> ins{&a, &b};
        if (hasC)
            ins.push_back(&tc);
        const auto ref = run(node, ins, bg::KernelChoice::Reference);
        QCOMPARE(shapeText(ref.at(0)), QString("[5,7]"));
        bg::FloatKernelPaths paths;
        const auto fast = run(node, ins, bg::KernelChoice::Fast, 17, &paths);
        const QString path = checkPath(paths, Expect::Fast);
        QVERIFY2(path.isEmpty(), qPrintable(path));
        const QString diff = compareTensors(fast.at(0), ref.at(0));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void gemmHandComputed()
    {
        const bg::Tensor a = mat({2, 2}, {1, 2, 3, 4}), b = mat({2, 2}, {5, 6, 7, 8});
        const bg::Tensor c = mat({2}, {1, 2});
        // 2 * AB + 0.5 * [1 2] per row.
        checkBoth(makeNode("Gemm", 3, {{"alpha", floatAttr(2)}, {"beta", floatAttr(0.5f)}}), {&a, &b, &c},
                  mat({2, 2}, {38.5f, 45, 86.5f, 101}));
        checkBoth(makeNode("Gemm", 2, {{"transA", intAttr(1)}}), {&a, &b}, mat({2, 2}, {26, 30, 38, 44}));
        checkBoth(makeNode("Gemm", 2, {{"transB", intAttr(1)}}), {&a, &b}, mat({2, 2}, {17, 23, 39, 53}));
        // Column C [2,1] broadcasts along rows.
        const bg::Tensor col = mat({2, 1}, {10, 20});
        checkBoth(makeNode("Gemm", 3, {}), {&a, &b, &col}, mat({2, 2}, {29, 32, 63, 70}));
    }

    void gemmErrors()
    {
        const bg::Tensor a = randomTensor({2, 3}, 1), b = randomTensor({2, 3}, 2), c = randomTensor({3}, 3);
        try {
            run(makeNode("Gemm", 2, {}), {&a, &b}, bg::KernelChoice::Fast);
            QFAIL("inner dimension mismatch accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        try {
            run(makeNode("Gemm", 3, {{"transB", intAttr(1)}}), {&a, &b, &c}, bg::KernelChoice::Fast);
            QFAIL("C that does not broadcast accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        try {
            run(makeNode("MatMul", 2, {}), {&a, &b}, bg::KernelChoice::Reference);
            QFAIL("MatMul inner mismatch accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
    }

    void batchNormFastMatchesReference_data()
    {
        QTest::addColumn<bg::Shape>("x");
        QTest::newRow("NCHW") << bg::Shape{2, 5, 6, 7};
        QTest::newRow("NC") << bg::Shape{4, 3};
        QTest::newRow("NCD") << bg::Shape{2, 3, 9};
        QTest::newRow("NCDHW") << bg::Shape{1, 2, 3, 4, 5};
    }
    void batchNormFastMatchesReference()
    {
        QFETCH(bg::Shape, x);
        const int64_t c = x[1];
        const bg::Tensor tx = randomTensor(x, 61), scale = randomTensor({c}, 62), bias = randomTensor({c}, 63),
                         mean = randomTensor({c}, 64);
        bg::Tensor var = randomTensor({c}, 65);
        for (float& v : var.floats())
            v = v + 1.5f;  // positive variances
        const bg::Node node = makeNode("BatchNormalization", 5, {{"epsilon", floatAttr(1e-3f)}});
        const std::vector<const bg::Tensor*> ins{&tx, &scale, &bias, &mean, &var};
        const auto ref = run(node, ins, bg::KernelChoice::Reference);
        bg::FloatKernelPaths paths;
        const auto fast = run(node, ins, bg::KernelChoice::Fast, 17, &paths);
        const QString path = checkPath(paths, Expect::Fast);
        QVERIFY2(path.isEmpty(), qPrintable(path));
        QCOMPARE(ref.at(0).shape(), x);
        const QString diff = compareTensors(fast.at(0), ref.at(0));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void batchNormHandComputed()
    {
        // Channel 0: (1 - 0.5) / sqrt(4) * 2 + 1 = 1.5; channel 1: (2 - 1) / sqrt(0.25) * 1 + 0 = 2.
        const bg::Tensor x = mat({1, 2, 1, 2}, {1, 3, 2, 0});
        const bg::Tensor scale = mat({2}, {2, 1}), bias = mat({2}, {1, 0}), mean = mat({2}, {0.5f, 1}),
                         var = mat({2}, {4, 0.25f});
        checkBoth(makeNode("BatchNormalization", 5, {{"epsilon", floatAttr(0)}}), {&x, &scale, &bias, &mean, &var},
                  mat({1, 2, 1, 2}, {1.5f, 3.5f, 2, -2}));
        // Opset 7 with spatial=1 behaves the same.
        checkBoth(makeNode("BatchNormalization", 5, {{"epsilon", floatAttr(0)}, {"spatial", intAttr(1)}}),
                  {&x, &scale, &bias, &mean, &var}, mat({1, 2, 1, 2}, {1.5f, 3.5f, 2, -2}), 7);
    }

    void batchNormRefusals()
    {
        const bg::Tensor x = randomTensor({1, 2, 2, 2}, 1), p = mat({2}, {1, 1});
        const std::vector<const bg::Tensor*> ins{&x, &p, &p, &p, &p};
        auto expectUnsupported = [&](const bg::Node& node, int64_t opset) {
            for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
                try {
                    run(node, ins, choice, opset);
                    QFAIL("accepted");
                } catch (const bg::Error& e) {
                    QCOMPARE(e.code(), bg::ErrorCode::UnsupportedOp);
                }
            }
        };
        expectUnsupported(makeNode("BatchNormalization", 5, {{"training_mode", intAttr(1)}}), 15);
        expectUnsupported(makeNode("BatchNormalization", 5, {}, 3), 15);  // running mean/var outputs
        expectUnsupported(makeNode("BatchNormalization", 5, {{"spatial", intAttr(0)}}), 7);
        const bg::Tensor wrong = mat({3}, {1, 1, 1});
        try {
            run(makeNode("BatchNormalization", 5, {}), {&x, &wrong, &p, &p, &p}, bg::KernelChoice::Fast);
            QFAIL("scale of the wrong length accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
    }
};

QTEST_APPLESS_MAIN(TestOpsHeavyLinear)
#include "tst_ops_heavy_linear.moc"
