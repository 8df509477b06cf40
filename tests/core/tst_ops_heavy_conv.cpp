// Conv and ConvTranspose: oneDNN fast kernels against the reference loops on random data (fixed
// seeds) over a table of configurations, and hand-computed tiny cases that check the reference.
#include "tst_ops_heavy_support.h"

#include <QtTest>

using namespace heavytest;

struct ConvCase {
    bg::Shape x;
    bg::Shape w;
    bool bias = true;
    Attrs attrs;
    Expect path = Expect::Fast;  // the path the fast kernel must take
};
Q_DECLARE_METATYPE(ConvCase)

namespace {

std::vector<bg::Tensor> runConv(const std::string& op, const bg::Tensor& x, const bg::Tensor& w, const bg::Tensor* b,
                                const Attrs& attrs, bg::KernelChoice choice, bg::FloatKernelPaths* paths = nullptr)
{
    const bg::Node node = makeNode(op, b ? 3 : 2, attrs);
    std::vector<const bg::Tensor*> ins{&x, &w};
    if (b)
        ins.push_back(b);
    return run(node, ins, choice, 17, paths);
}

bg::Tensor seq(const bg::Shape& shape, float start = 1.0f)
{
    std::vector<float> v(static_cast<size_t>(bg::shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = start + float(i);
    return bg::Tensor(shape, std::move(v));
}

bg::Tensor filled(const bg::Shape& shape, float value)
{
    return bg::Tensor(shape, std::vector<float>(static_cast<size_t>(bg::shapeNumel(shape)), value));
}

// Compares both kernels with `want` (hand-computed).
void checkBoth(const std::string& op, const bg::Tensor& x, const bg::Tensor& w, const bg::Tensor* b, const Attrs& attrs,
               const bg::Tensor& want)
{
    for (bg::KernelChoice choice : {bg::KernelChoice::Reference, bg::KernelChoice::Fast}) {
        const auto y = runConv(op, x, w, b, attrs, choice);
        QCOMPARE(y.size(), size_t(1));
        const QString diff = compareTensors(y[0], want, 1e-6, 1e-6);
        QVERIFY2(diff.isEmpty(), qPrintable((choice == bg::KernelChoice::Fast ? "fast: " : "reference: ") + diff));
    }
}

void compareFastWithReference(const std::string& op, const ConvCase& c, uint32_t seed)
{
    const bg::Tensor x = randomTensor(c.x, seed);
    const bg::Tensor w = randomTensor(c.w, seed + 1);
    const int64_t m = op == "Conv" ? c.w[0] : c.w[1] * (c.attrs.count("group") ? c.attrs.at("group").i : 1);
    const bg::Tensor b = randomTensor({m}, seed + 2);
    const auto ref = runConv(op, x, w, c.bias ? &b : nullptr, c.attrs, bg::KernelChoice::Reference);
    bg::FloatKernelPaths paths;
    const auto fast = runConv(op, x, w, c.bias ? &b : nullptr, c.attrs, bg::KernelChoice::Fast, &paths);
    const QString path = checkPath(paths, c.path);
    QVERIFY2(path.isEmpty(), qPrintable(path));
    const QString diff = compareTensors(fast.at(0), ref.at(0));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

} // namespace

class TestOpsHeavyConv : public QObject {
    Q_OBJECT
private slots:
    void convFastMatchesReference_data()
    {
        QTest::addColumn<ConvCase>("c");
        QTest::addColumn<QString>("outShape");
        QTest::newRow("3x3 plain") << ConvCase{{2, 4, 9, 9}, {6, 4, 3, 3}, true, {}} << "[2,6,7,7]";
        QTest::newRow("stride 2 pad 1") << ConvCase{{1, 3, 10, 11}, {5, 3, 3, 3}, true,
                                                    {{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}}
                                        << "[1,5,5,6]";
        QTest::newRow("dilation 2") << ConvCase{{1, 3, 12, 12}, {4, 3, 3, 3}, true,
                                                {{"dilations", ints({2, 2})}, {"pads", ints({2, 2, 2, 2})}}}
                                    << "[1,4,12,12]";
        QTest::newRow("groups 2") << ConvCase{{1, 4, 8, 8}, {6, 2, 3, 3}, true, {{"group", intAttr(2)}}}
                                  << "[1,6,6,6]";
        QTest::newRow("depthwise pad 1") << ConvCase{{2, 8, 10, 10}, {8, 1, 3, 3}, true,
                                                     {{"group", intAttr(8)}, {"pads", ints({1, 1, 1, 1})}}}
                                         << "[2,8,10,10]";
        QTest::newRow("depthwise multiplier 2 stride 2") << ConvCase{{1, 4, 9, 9}, {8, 1, 5, 5}, true,
                                                                     {{"group", intAttr(4)}, {"strides", ints({2, 2})},
                                                                      {"pads", ints({2, 2, 2, 2})}}}
                                                         << "[1,8,5,5]";
        QTest::newRow("asymmetric pads") << ConvCase{{1, 2, 7, 6}, {3, 2, 3, 2}, true, {{"pads", ints({0, 1, 2, 1})}}}
                                         << "[1,3,7,7]";
        QTest::newRow("same upper stride 2") << ConvCase{{1, 3, 9, 8}, {4, 3, 3, 3}, true,
                                                         {{"auto_pad", str("SAME_UPPER")}, {"strides", ints({2, 2})}}}
                                             << "[1,4,5,4]";
        QTest::newRow("same lower even kernel") << ConvCase{{1, 3, 7, 7}, {4, 3, 2, 2}, true,
                                                            {{"auto_pad", str("SAME_LOWER")}}}
                                                << "[1,4,7,7]";
        QTest::newRow("valid stride 3") << ConvCase{{1, 2, 11, 10}, {3, 2, 3, 3}, true,
                                                    {{"auto_pad", str("VALID")}, {"strides", ints({3, 3})}}}
                                        << "[1,3,3,3]";
        QTest::newRow("1x1 no bias") << ConvCase{{2, 16, 5, 5}, {8, 16, 1, 1}, false, {}} << "[2,8,5,5]";
        QTest::newRow("kernel_shape given") << ConvCase{{1, 3, 6, 6}, {2, 3, 3, 3}, true, {{"kernel_shape", ints({3, 3})}}}
                                            << "[1,2,4,4]";
        QTest::newRow("stride 3 dilation 2 asym") << ConvCase{{1, 3, 13, 14}, {4, 3, 3, 2}, true,
                                                              {{"strides", ints({3, 2})}, {"dilations", ints({2, 3})},
                                                               {"pads", ints({1, 0, 2, 3})}}}
                                                  << "[1,4,4,7]";
        QTest::newRow("pads beyond last window") << ConvCase{{1, 1, 5, 5}, {1, 1, 2, 2}, true,
                                                             {{"strides", ints({2, 2})}, {"pads", ints({0, 0, 1, 1})}}}
                                                 << "[1,1,3,3]";
        QTest::newRow("1d") << ConvCase{{2, 3, 17}, {5, 3, 4}, true, {{"strides", ints({2})}, {"pads", ints({1, 2})}}}
                            << "[2,5,9]";
        QTest::newRow("3d") << ConvCase{{1, 2, 5, 6, 7}, {3, 2, 2, 3, 2}, true, {{"pads", ints({1, 0, 1, 0, 1, 1})}}}
                            << "[1,3,5,5,8]";
    }
    void convFastMatchesReference()
    {
        QFETCH(ConvCase, c);
        QFETCH(QString, outShape);
        const bg::Tensor x = randomTensor(c.x, 7);
        const bg::Tensor w = randomTensor(c.w, 8);
        const auto y = runConv("Conv", x, w, nullptr, c.attrs, bg::KernelChoice::Reference);
        QCOMPARE(QString::fromStdString(bg::shapeToString(y.at(0).shape())).remove(' '), outShape);
        compareFastWithReference("Conv", c, 11);
    }

    void convTransposeFastMatchesReference_data()
    {
        QTest::addColumn<ConvCase>("c");
        QTest::addColumn<QString>("outShape");
        QTest::newRow("3x3 plain") << ConvCase{{1, 4, 5, 5}, {4, 3, 3, 3}, true, {}} << "[1,3,7,7]";
        QTest::newRow("stride 2 pad 1 output_padding 1")
            << ConvCase{{2, 3, 4, 5}, {3, 2, 3, 3}, true,
                        {{"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}, {"output_padding", ints({1, 1})}}}
            << "[2,2,8,10]";
        QTest::newRow("groups 2") << ConvCase{{1, 4, 4, 4}, {4, 3, 3, 3}, true, {{"group", intAttr(2)}}} << "[1,6,6,6]";
        QTest::newRow("depthwise upsample") << ConvCase{{1, 4, 6, 6}, {4, 1, 4, 4}, true,
                                                        {{"group", intAttr(4)}, {"strides", ints({2, 2})},
                                                         {"pads", ints({1, 1, 1, 1})}}}
                                            << "[1,4,12,12]";
        QTest::newRow("dilation 2") << ConvCase{{1, 2, 4, 4}, {2, 3, 3, 3}, true, {{"dilations", ints({2, 2})}}}
                                    << "[1,3,8,8]";
        QTest::newRow("asymmetric pads") << ConvCase{{1, 2, 5, 4}, {2, 2, 3, 3}, false,
                                                     {{"strides", ints({2, 1})}, {"pads", ints({0, 1, 2, 0})}}}
                                         << "[1,2,9,5]";
        QTest::newRow("output_shape beyond full") << ConvCase{{1, 1, 3, 3}, {1, 2, 3, 3}, true,
                                                              {{"strides", ints({3, 2})}, {"output_shape", ints({10, 8})}},
                                                              Expect::Fallback}  // a negative end pad: reference by design
                                                  << "[1,2,10,8]";
        QTest::newRow("output_shape cropping") << ConvCase{{1, 2, 4, 4}, {2, 2, 3, 3}, true,
                                                           {{"strides", ints({2, 2})}, {"output_shape", ints({8, 7})}}}
                                               << "[1,2,8,7]";
        QTest::newRow("same upper stride 2") << ConvCase{{1, 2, 3, 4}, {2, 2, 3, 3}, true,
                                                         {{"auto_pad", str("SAME_UPPER")}, {"strides", ints({2, 2})}}}
                                             << "[1,2,6,8]";
        QTest::newRow("same lower stride 2") << ConvCase{{1, 2, 3, 4}, {2, 2, 3, 3}, true,
                                                         {{"auto_pad", str("SAME_LOWER")}, {"strides", ints({2, 2})}}}
                                             << "[1,2,6,8]";
        QTest::newRow("1d") << ConvCase{{2, 3, 6}, {3, 4, 3}, true, {{"strides", ints({3})}}} << "[2,4,18]";
        // Stride beyond the kernel extent: output rows no tap reaches must hold just the bias
        // (oneDNN 2.6's int8 deconvolution gets these wrong; check the f32 path does not).
        QTest::newRow("stride beyond kernel") << ConvCase{{1, 16, 5, 6}, {16, 8, 2, 2}, true, {{"strides", ints({3, 3})}}}
                                              << "[1,8,14,17]";
        QTest::newRow("stride beyond kernel no bias") << ConvCase{{1, 16, 5, 6}, {16, 8, 2, 2}, false,
                                                                  {{"strides", ints({3, 3})}}}
                                                      << "[1,8,14,17]";
        QTest::newRow("1x1 kernel stride 2") << ConvCase{{2, 8, 4, 4}, {8, 16, 1, 1}, true, {{"strides", ints({2, 2})}}}
                                             << "[2,16,7,7]";
        QTest::newRow("depthwise stride beyond kernel") << ConvCase{{1, 16, 4, 4}, {16, 1, 2, 2}, false,
                                                                    {{"group", intAttr(16)}, {"strides", ints({4, 4})}}}
                                                        << "[1,16,14,14]";
        QTest::newRow("3d") << ConvCase{{1, 2, 3, 3, 2}, {2, 2, 2, 2, 2}, true, {{"strides", ints({2, 1, 2})}}}
                            << "[1,2,6,4,4]";
        // Kernel = stride along H with an output over 4 MB in oneDNN's layout: run in strips of input
        // rows (40, 40 and 21 here), each written through a strided view of the output.
        QTest::newRow("2x2 stride 2 in row strips") << ConvCase{{1, 30, 101, 100}, {30, 30, 2, 2}, true,
                                                                {{"strides", ints({2, 2})}}}
                                                    << "[1,30,202,200]";
    }
    void convTransposeFastMatchesReference()
    {
        QFETCH(ConvCase, c);
        QFETCH(QString, outShape);
        const bg::Tensor x = randomTensor(c.x, 7);
        const bg::Tensor w = randomTensor(c.w, 8);
        const auto y = runConv("ConvTranspose", x, w, nullptr, c.attrs, bg::KernelChoice::Reference);
        QCOMPARE(QString::fromStdString(bg::shapeToString(y.at(0).shape())).remove(' '), outShape);
        compareFastWithReference("ConvTranspose", c, 21);
    }

    // Hand-computed: X = 1..9 (3x3), W = ones (2x2).
    void convHandComputed()
    {
        const bg::Tensor x = seq({1, 1, 3, 3});
        const bg::Tensor w = filled({1, 1, 2, 2}, 1.0f);
        checkBoth("Conv", x, w, nullptr, {}, bg::Tensor({1, 1, 2, 2}, std::vector<float>{12, 16, 24, 28}));
        const bg::Tensor b({1}, std::vector<float>{0.5f});
        checkBoth("Conv", x, w, &b, {}, bg::Tensor({1, 1, 2, 2}, std::vector<float>{12.5f, 16.5f, 24.5f, 28.5f}));
        // Pad 1, stride 2: windows start at -1 and 1.
        checkBoth("Conv", x, w, nullptr, {{"pads", ints({1, 1, 1, 1})}, {"strides", ints({2, 2})}},
                  bg::Tensor({1, 1, 2, 2}, std::vector<float>{1, 5, 11, 28}));
        // Dilation 2 with a 2x2 kernel reads the four corners: 1 + 3 + 7 + 9.
        checkBoth("Conv", x, w, nullptr, {{"dilations", ints({2, 2})}}, bg::Tensor({1, 1, 1, 1}, std::vector<float>{20}));
        // Two groups: channel 0 = 1..9 with W ones, channel 1 = 10..18 with W 2.
        const bg::Tensor x2 = seq({1, 2, 3, 3});
        std::vector<float> w2v(8, 1.0f);
        std::fill(w2v.begin() + 4, w2v.end(), 2.0f);
        const bg::Tensor w2({2, 1, 2, 2}, w2v);
        // Channel 1 sums: (10+11+13+14)=48 ... times 2.
        checkBoth("Conv", x2, w2, nullptr, {{"group", intAttr(2)}},
                  bg::Tensor({1, 2, 2, 2}, std::vector<float>{12, 16, 24, 28, 96, 104, 120, 128}));
    }

    // SAME_UPPER puts the odd pad at the end, SAME_LOWER at the beginning (3x3 ones, 2x2 ones).
    void convAutoPadHandComputed()
    {
        const bg::Tensor x = filled({1, 1, 3, 3}, 1.0f);
        const bg::Tensor w = filled({1, 1, 2, 2}, 1.0f);
        checkBoth("Conv", x, w, nullptr, {{"auto_pad", str("SAME_UPPER")}},
                  bg::Tensor({1, 1, 3, 3}, std::vector<float>{4, 4, 2, 4, 4, 2, 2, 2, 1}));
        checkBoth("Conv", x, w, nullptr, {{"auto_pad", str("SAME_LOWER")}},
                  bg::Tensor({1, 1, 3, 3}, std::vector<float>{1, 2, 2, 2, 4, 4, 2, 4, 4}));
    }

    // X = [1 2; 3 4], W = ones 2x2.
    void convTransposeHandComputed()
    {
        const bg::Tensor x = seq({1, 1, 2, 2});
        const bg::Tensor w = filled({1, 1, 2, 2}, 1.0f);
        checkBoth("ConvTranspose", x, w, nullptr, {},
                  bg::Tensor({1, 1, 3, 3}, std::vector<float>{1, 3, 2, 4, 10, 6, 3, 7, 4}));
        // Stride 2 tiles each input value over a 2x2 block.
        checkBoth("ConvTranspose", x, w, nullptr, {{"strides", ints({2, 2})}},
                  bg::Tensor({1, 1, 4, 4}, std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
        // Pads crop the full 3x3 result; output_padding adds a zero (+bias) row and column.
        checkBoth("ConvTranspose", x, w, nullptr, {{"pads", ints({1, 1, 0, 0})}},
                  bg::Tensor({1, 1, 2, 2}, std::vector<float>{10, 6, 7, 4}));
        const bg::Tensor b({1}, std::vector<float>{1.0f});
        checkBoth("ConvTranspose", x, w, &b, {{"strides", ints({2, 2})}, {"output_padding", ints({1, 0})}},
                  bg::Tensor({1, 1, 5, 4}, std::vector<float>{2, 2, 3, 3, 2, 2, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 1, 1, 1, 1}));
        // Two input channels into one output channel: W for channel 1 is 2.
        const bg::Tensor x2 = seq({1, 2, 1, 1});  // values 1 and 2
        const bg::Tensor w2({2, 1, 1, 2}, std::vector<float>{1, 1, 2, 2});
        checkBoth("ConvTranspose", x2, w2, nullptr, {}, bg::Tensor({1, 1, 1, 2}, std::vector<float>{5, 5}));
    }

    void convErrors()
    {
        const bg::Tensor x = randomTensor({1, 3, 5, 5}, 1);
        const bg::Tensor wBad = randomTensor({2, 2, 3, 3}, 2);
        try {
            runConv("Conv", x, wBad, nullptr, {}, bg::KernelChoice::Fast);
            QFAIL("channel mismatch accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
            QVERIFY(std::string(e.what()).find("n_Conv") != std::string::npos);
        }
        const bg::Tensor w = randomTensor({2, 3, 7, 7}, 2);
        try {
            runConv("Conv", x, w, nullptr, {}, bg::KernelChoice::Fast);
            QFAIL("kernel larger than input accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        try {
            runConv("Conv", x, randomTensor({2, 3, 3, 3}, 3), nullptr, {{"auto_pad", str("SAME")}},
                    bg::KernelChoice::Reference);
            QFAIL("bad auto_pad accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::BadAttribute);
        }
        try {
            runConv("Conv", x, randomTensor({2, 3, 3, 3}, 3), nullptr, {{"strides", ints({1})}},
                    bg::KernelChoice::Reference);
            QFAIL("short strides accepted");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::BadAttribute);
        }
    }
};

QTEST_APPLESS_MAIN(TestOpsHeavyConv)
#include "tst_ops_heavy_conv.moc"
