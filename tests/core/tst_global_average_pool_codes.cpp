// GlobalAveragePool from codes (integer/global_average_pool_codes.h) against the float operator on
// the dequantized values: the same bits wherever it computes, and nothing where its exactness
// bound fails or the codes are not channels-first.
#include "integer/activation_quantizer.h"
#include "integer/global_average_pool_codes.h"
#include "model/node.h"
#include "runtime/float_runtime.h"
#include "runtime/op_registry.h"
#include "runtime/kernels/shape_util.h"

#include <QtTest>

#include <cstring>
#include <random>

Q_DECLARE_METATYPE(bg::Shape)

namespace {

bg::QuantActivation randomCodes(const bg::Shape& shape, const bg::ActivationQuant& q, int spread, uint32_t seed)
{
    bg::QuantActivation x;
    x.shape = shape;
    x.zeroPoint = q.zeroPoint;
    x.bits = q.bits;
    const int top = (1 << q.bits) - 1;
    std::mt19937 gen(seed);
    x.values.resize(static_cast<size_t>(bg::shapeNumel(shape)));
    for (uint8_t& c : x.values)  // spread 0: every code the top one (the largest sums)
        c = static_cast<uint8_t>(spread == 0 ? top : std::min<int>(top, static_cast<int>(gen() % uint32_t(spread + 1))));
    return x;
}

bg::Tensor floatPool(const bg::Tensor& x)
{
    bg::Node node;
    node.opType = "GlobalAveragePool";
    node.inputs = {"x"};
    node.outputs = {"y"};
    const bg::OpDef* def = bg::OpRegistry::instance().find(node.opType);
    return bg::runNode(*def, node, {&x}, 17, bg::KernelChoice::Reference).at(0);
}

} // namespace

class TestGlobalAveragePoolCodes : public QObject {
    Q_OBJECT
private slots:
    void sameBitsAsTheFloatOperator_data()
    {
        QTest::addColumn<bg::Shape>("shape");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("ort");
        QTest::addColumn<int>("spread");
        // The detector's SE input, planes of a block and a half, 1-D and 3-D spatial axes, 5-bit
        // codes, the onnxruntime arithmetic's float32 scale, scales far from 1, one code everywhere.
        QTest::newRow("det SE 96x160x160") << bg::Shape{1, 96, 160, 160} << -3.1 << 9.7 << 8 << false << 255;
        QTest::newRow("two images, odd planes") << bg::Shape{2, 5, 37, 41} << -1.0 << 1.3 << 8 << false << 255;
        QTest::newRow("1-D spatial") << bg::Shape{1, 3, 7} << -0.2 << 0.9 << 8 << false << 255;
        QTest::newRow("3-D spatial") << bg::Shape{1, 2, 3, 4, 5} << -5.0 << 2.0 << 8 << false << 255;
        QTest::newRow("5 bits, onnxruntime") << bg::Shape{1, 4, 50, 60} << -0.7 << 0.4 << 5 << true << 31;
        QTest::newRow("tiny scale") << bg::Shape{1, 3, 64, 64} << -1e-30 << 3e-30 << 8 << false << 255;
        QTest::newRow("large scale, top code everywhere") << bg::Shape{1, 2, 500, 500} << 0.0 << 3e7 << 8 << false << 0;
        QTest::newRow("codes near the zero point") << bg::Shape{1, 8, 33, 33} << -1.0 << 1.0 << 8 << true << 140;
    }

    void sameBitsAsTheFloatOperator()
    {
        QFETCH(bg::Shape, shape);
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(int, bits);
        QFETCH(bool, ort);
        QFETCH(int, spread);
        const bg::ActivationQuant q = bg::activationQuantFromRange(lo, hi, bits, ort ? bg::Arithmetic::OnnxRuntime : bg::Arithmetic::Exact);
        const bg::QuantActivation codes = randomCodes(shape, q, spread, 11);
        const std::optional<bg::Tensor> fromCodes = bg::globalAveragePoolOfCodes(codes, q);
        QVERIFY(fromCodes.has_value());
        const bg::Tensor expected = floatPool(bg::dequantizeActivation(codes, q));
        QCOMPARE(fromCodes->shape(), expected.shape());
        QCOMPARE(fromCodes->elemType(), expected.elemType());
        QVERIFY(std::memcmp(fromCodes->floats().data(), expected.floats().data(), expected.floats().size() * sizeof(float)) == 0);
        // Not a constant: the planes' means differ (except where every code is the same).
        const auto y = expected.floats();
        if (spread != 0)
            QVERIFY(*std::max_element(y.begin(), y.end()) > *std::min_element(y.begin(), y.end()));
    }

    // Where a sum could round (a plane of 2^23 values: s·2^-23 · 2^52 is below 2^23 · 128·s) or the codes are not
    // channels-first of rank 3+, nothing is computed: the caller runs the float operator.
    void declinesWhatItCannotMatch()
    {
        const bg::ActivationQuant q = bg::activationQuantFromRange(-1.0, 1.0, 8);
        QVERIFY(!bg::globalAveragePoolOfCodes(randomCodes({1, 1, 4096, 2048}, q, 255, 3), q));
        QVERIFY(bg::globalAveragePoolOfCodes(randomCodes({1, 1, 512, 512}, q, 255, 3), q));
        QVERIFY(!bg::globalAveragePoolOfCodes(randomCodes({4, 6}, q, 255, 3), q));
        bg::QuantActivation nhwc = randomCodes({1, 3, 4, 4}, q, 255, 3);
        nhwc.channelsLast = true;
        QVERIFY(!bg::globalAveragePoolOfCodes(nhwc, q));
    }
};

QTEST_APPLESS_MAIN(TestGlobalAveragePoolCodes)
#include "tst_global_average_pool_codes.moc"
