// MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool: oneDNN fast kernels against the reference
// loops on random data (fixed seeds), and hand-computed cases that check the reference itself.
#include "tst_ops_heavy_support.h"

#include <QtTest>

using namespace heavytest;

struct PoolCase {
    bg::Shape x;
    Attrs attrs;
    Expect path = Expect::Fast;  // the path the fast kernel must take
};
Q_DECLARE_METATYPE(PoolCase)

namespace {

bg::Tensor seq(const bg::Shape& shape, float start)
{
    std::vector<float> v(static_cast<size_t>(bg::shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = start + float(i);
    return bg::Tensor(shape, std::move(v));
}

std::vector<bg::Tensor> runPool(const std::string& op, const bg::Tensor& x, const Attrs& attrs, bg::KernelChoice choice,
                                size_t numOutputs = 1, bg::FloatKernelPaths* paths = nullptr)
{
    return run(makeNode(op, 1, attrs, numOutputs), {&x}, choice, 17, paths);
}

void checkBoth(const std::string& op, const bg::Tensor& x, const Attrs& attrs, const bg::Tensor& want)
{
    for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
        const auto y = runPool(op, x, attrs, choice);
        const QString diff = compareTensors(y.at(0), want, 1e-6, 1e-6);
        QVERIFY2(diff.isEmpty(), qPrintable((choice == bg::KernelChoice::Fast ? "fast: " : "reference: ") + diff));
    }
}

void addWindowRows(bool average)
{
    QTest::addColumn<PoolCase>("c");
    QTest::addColumn<QString>("outShape");
    QTest::newRow("k2 s2") << PoolCase{{2, 3, 8, 8}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}}
                           << "[2,3,4,4]";
    QTest::newRow("k3 s1 pad 1") << PoolCase{{1, 4, 7, 9}, {{"kernel_shape", ints({3, 3})}, {"pads", ints({1, 1, 1, 1})}}}
                                 << "[1,4,7,9]";
    QTest::newRow("asymmetric pads") << PoolCase{{1, 2, 6, 7},
                                                 {{"kernel_shape", ints({3, 2})}, {"pads", ints({0, 1, 2, 0})},
                                                  {"strides", ints({2, 1})}}}
                                     << "[1,2,3,7]";
    QTest::newRow("ceil mode") << PoolCase{{1, 2, 7, 8},
                                           {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})},
                                            {"ceil_mode", intAttr(1)}}}
                               << "[1,2,3,4]";
    QTest::newRow("ceil mode with pads") << PoolCase{{1, 2, 6, 6},
                                                     {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})},
                                                      {"pads", ints({1, 1, 1, 1})}, {"ceil_mode", intAttr(1)}}}
                                         << "[1,2,4,4]";
    QTest::newRow("same upper") << PoolCase{{1, 3, 7, 6},
                                            {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})},
                                             {"auto_pad", str("SAME_UPPER")}}}
                                << "[1,3,4,3]";
    QTest::newRow("same lower") << PoolCase{{1, 3, 5, 5}, {{"kernel_shape", ints({2, 2})}, {"auto_pad", str("SAME_LOWER")}}}
                                << "[1,3,5,5]";
    QTest::newRow("valid") << PoolCase{{1, 3, 9, 9},
                                       {{"kernel_shape", ints({3, 3})}, {"strides", ints({3, 2})}, {"auto_pad", str("VALID")}}}
                           << "[1,3,3,4]";
    QTest::newRow("dilations") << PoolCase{{1, 2, 9, 9}, {{"kernel_shape", ints({2, 3})}, {"dilations", ints({2, 2})}}}
                               << "[1,2,7,5]";
    // Many channels, not a multiple of the vector width: the classifier's shape of pool, which
    // max pooling runs channels-last (dnnl_pool.cpp).
    QTest::newRow("203 channels") << PoolCase{{1, 203, 2, 12}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}}
                                  << "[1,203,1,6]";
    QTest::newRow("1d") << PoolCase{{2, 3, 15}, {{"kernel_shape", ints({4})}, {"strides", ints({3})}, {"pads", ints({1, 2})}}}
                        << "[2,3,5]";
    QTest::newRow("3d") << PoolCase{{1, 2, 5, 6, 7}, {{"kernel_shape", ints({2, 3, 2})}, {"strides", ints({1, 2, 2})}}}
                        << "[1,2,4,2,3]";
    if (average) {
        QTest::newRow("include pad") << PoolCase{{1, 3, 7, 7},
                                                 {{"kernel_shape", ints({3, 3})}, {"pads", ints({1, 1, 1, 1})},
                                                  {"count_include_pad", intAttr(1)}}}
                                     << "[1,3,7,7]";
        QTest::newRow("include pad ceil overhang") << PoolCase{{1, 2, 7, 7},
                                                               {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})},
                                                                {"pads", ints({1, 1, 0, 0})}, {"ceil_mode", intAttr(1)},
                                                                {"count_include_pad", intAttr(1)}},
                                                               Expect::Fallback}  // oneDNN would count the overhang
                                                   << "[1,2,4,4]";
    }
}

void compareFastWithReference(const std::string& op)
{
    QFETCH(PoolCase, c);
    QFETCH(QString, outShape);
    const bg::Tensor x = randomTensor(c.x, 31);
    const auto ref = runPool(op, x, c.attrs, bg::KernelChoice::Reference);
    QCOMPARE(QString::fromStdString(bg::shapeToString(ref.at(0).shape())).remove(' '), outShape);
    bg::FloatKernelPaths paths;
    const auto fast = runPool(op, x, c.attrs, bg::KernelChoice::Fast, 1, &paths);
    const QString path = checkPath(paths, c.path);
    QVERIFY2(path.isEmpty(), qPrintable(path));
    const QString diff = compareTensors(fast.at(0), ref.at(0));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

} // namespace

class TestOpsHeavyPool : public QObject {
    Q_OBJECT
private slots:
    void maxPoolFastMatchesReference_data() { addWindowRows(false); }
    void maxPoolFastMatchesReference() { compareFastWithReference("MaxPool"); }
    void averagePoolFastMatchesReference_data() { addWindowRows(true); }
    void averagePoolFastMatchesReference() { compareFastWithReference("AveragePool"); }

    // X = 0..15 as 4x4.
    void maxPoolHandComputed()
    {
        const bg::Tensor x = seq({1, 1, 4, 4}, 0.0f);
        checkBoth("MaxPool", x, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}},
                  bg::Tensor({1, 1, 2, 2}, std::vector<float>{5, 7, 13, 15}));
        // ceil_mode: windows start at rows/cols 0 and 2, the second one clipped to 2 elements.
        checkBoth("MaxPool", x, {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"ceil_mode", intAttr(1)}},
                  bg::Tensor({1, 1, 2, 2}, std::vector<float>{10, 11, 14, 15}));
        // Padding never wins, even against negative values.
        const bg::Tensor neg = seq({1, 1, 1, 3}, -3.0f);  // -3 -2 -1
        checkBoth("MaxPool", neg, {{"kernel_shape", ints({1, 2})}, {"pads", ints({0, 1, 0, 1})}},
                  bg::Tensor({1, 1, 1, 4}, std::vector<float>{-3, -2, -1, -1}));
    }

    // uint8/int8 models reach MaxPool as int64 tensors.
    void maxPoolIntegers()
    {
        std::vector<int64_t> v(16);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = (i % 2 == 0) ? int64_t(i) * 10 : 255 - int64_t(i);
        const bg::Tensor x(bg::Shape{1, 1, 4, 4}, v);
        for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
            const auto y = runPool("MaxPool", x, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}, choice);
            QVERIFY(!y.at(0).isFloat());
            // Windows {0,254,40,250}, {20,252,60,248}, {80,246,120,242}, {100,244,140,240}.
            QCOMPARE(y[0].toInt64Vector(), (std::vector<int64_t>{254, 252, 246, 244}));
        }
    }

    void maxPoolIndices()
    {
        const bg::Tensor x = seq({1, 2, 4, 4}, 0.0f);
        for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
            const auto rowMajor = runPool("MaxPool", x, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}},
                                          choice, 2);
            QCOMPARE(rowMajor.size(), size_t(2));
            // Channel 1 offsets by 16 (indices are flattened over N and C too).
            QCOMPARE(rowMajor[1].toInt64Vector(), (std::vector<int64_t>{5, 7, 13, 15, 21, 23, 29, 31}));
            QCOMPARE(rowMajor[1].elemType(), 7);
            const auto colMajor = runPool("MaxPool", x,
                                          {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})},
                                           {"storage_order", intAttr(1)}},
                                          choice, 2);
            // Element (h, w) has column-major index w * 4 + h.
            QCOMPARE(colMajor[1].toInt64Vector(), (std::vector<int64_t>{5, 13, 7, 15, 21, 29, 23, 31}));
        }
    }

    // X = 1..9 as 3x3, 2x2 windows with pad 1 all round.
    void averagePoolHandComputed()
    {
        const bg::Tensor x = seq({1, 1, 3, 3}, 1.0f);
        const Attrs base{{"kernel_shape", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}, {"strides", ints({2, 2})}};
        // Windows start at -1 and 1: {1}, {2,3}, {4,7}, {5,6,8,9}.
        checkBoth("AveragePool", x, base, bg::Tensor({1, 1, 2, 2}, std::vector<float>{1, 2.5f, 5.5f, 7}));
        Attrs include = base;
        include["count_include_pad"] = intAttr(1);
        checkBoth("AveragePool", x, include, bg::Tensor({1, 1, 2, 2}, std::vector<float>{0.25f, 1.25f, 2.75f, 7}));
        // ceil_mode overhang (no end pad) is not counted even with count_include_pad: 4x4 input 0..15,
        // k3 s2 -> windows at 0 and 2; the second spans 2 real rows/cols.
        const bg::Tensor x4 = seq({1, 1, 4, 4}, 0.0f);
        checkBoth("AveragePool", x4,
                  {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"ceil_mode", intAttr(1)},
                   {"count_include_pad", intAttr(1)}},
                  bg::Tensor({1, 1, 2, 2}, std::vector<float>{5, 6.5f, 11, 12.5f}));
    }

    void globalPools()
    {
        const bg::Tensor x = seq({2, 3, 2, 2}, 0.0f);  // plane p holds 4p .. 4p+3
        std::vector<float> mean, max;
        for (int p = 0; p < 6; ++p) {
            mean.push_back(4.0f * float(p) + 1.5f);
            max.push_back(4.0f * float(p) + 3.0f);
        }
        checkBoth("GlobalAveragePool", x, {}, bg::Tensor({2, 3, 1, 1}, mean));
        checkBoth("GlobalMaxPool", x, {}, bg::Tensor({2, 3, 1, 1}, max));
        const bg::Tensor x1 = seq({1, 2, 3}, -2.0f);  // 1-D spatial: {-2,-1,0}, {1,2,3}
        checkBoth("GlobalAveragePool", x1, {}, bg::Tensor({1, 2, 1}, std::vector<float>{-1, 2}));
        checkBoth("GlobalMaxPool", x1, {}, bg::Tensor({1, 2, 1}, std::vector<float>{0, 3}));
    }

    void poolErrors()
    {
        const bg::Tensor x = randomTensor({1, 1, 4, 4}, 3);
        try {
            runPool("MaxPool", x, {}, bg::KernelChoice::Fast);
            QFAIL("missing kernel_shape accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::BadAttribute);
        }
        try {
            runPool("AveragePool", x, {{"kernel_shape", ints({5, 5})}}, bg::KernelChoice::Fast);
            QFAIL("window larger than input accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        try {
            runPool("GlobalAveragePool", bg::Tensor({4}, std::vector<float>(4, 1.0f)), {}, bg::KernelChoice::Fast);
            QFAIL("rank-1 input accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
    }
};

QTEST_APPLESS_MAIN(TestOpsHeavyPool)
#include "tst_ops_heavy_pool.moc"
