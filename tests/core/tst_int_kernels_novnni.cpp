// The integer kernels on a CPU WITHOUT VNNI, simulated by capping oneDNN at avx512_core before
// anything else touches it. There, oneDNN's u8×s8 path (vpmaddubsw) saturates pairs of products
// to int16: 255·127 + 255·127 = 64770 would come back as 32767. The fast kernels must notice and
// either stay in the safe range (2·max q_x·max |q_w| <= 32767) or run the reference.
#include "quantization/int_conv.h"
#include "quantization/int_conv_transpose.h"
#include "quantization/int_dnnl_support.h"
#include "quantization/int_matmul.h"

#include <QtTest>

#include <random>

using bg::Shape;

namespace {

bg::QuantActivation randomActivation(Shape shape, int bits, int64_t zp, std::mt19937& rng)
{
    bg::QuantActivation x{std::move(shape), {}, zp, bits};
    std::uniform_int_distribution<int> d(0, (1 << bits) - 1);
    x.values.resize(static_cast<size_t>(bg::shapeNumel(x.shape)));
    for (auto& v : x.values)
        v = static_cast<uint8_t>(d(rng));
    x.values[0] = static_cast<uint8_t>((1 << bits) - 1);  // the extreme must occur
    return x;
}

bg::QuantWeight randomWeight(Shape shape, int bits, std::mt19937& rng)
{
    bg::QuantWeight w{std::move(shape), {}, bits};
    const int q = (1 << (bits - 1)) - 1;
    std::uniform_int_distribution<int> d(-q, q);
    w.values.resize(static_cast<size_t>(bg::shapeNumel(w.shape)));
    for (auto& v : w.values)
        v = static_cast<int8_t>(d(rng));
    w.values[0] = static_cast<int8_t>(q);
    w.values[1] = static_cast<int8_t>(-q);
    return w;
}

} // namespace

class TestIntKernelsNoVnni : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Must run before the first primitive is created; afterwards oneDNN ignores it.
        QCOMPARE(dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx512_core), dnnl::status::success);
        QVERIFY(!bg::intDnnlHasVnni());
    }

    void unsafeRangeRunsReference()
    {
        // All codes at their extremes: every pair of products saturates int16 without VNNI.
        const int64_t m = 4, k = 64, n = 16;
        const bg::QuantActivation a{{m, k}, std::vector<uint8_t>(static_cast<size_t>(m * k), 255), 5, 8};
        const bg::QuantWeight b{{k, n}, std::vector<int8_t>(static_cast<size_t>(k * n), 127), 8};
        const auto r = bg::intMatMulFast(a, b, {"mm", false});
        QCOMPARE(r.path, bg::IntKernelPath::Reference);
        for (int32_t v : r.values)
            QCOMPARE(v, 127 * (255 - 5) * 64);  // by hand

        std::mt19937 rng(7);
        const auto x = randomActivation({1, 8, 6, 6}, 8, 100, rng);
        const auto w = randomWeight({4, 8, 3, 3}, 8, rng);
        const bg::IntConvParams p{"conv", 1, {}, {}, {1, 1}, {1, 1}};
        const auto c = bg::intConvFast(x, w, p);
        QCOMPARE(c.path, bg::IntKernelPath::Reference);
        QVERIFY(c.values == bg::intConvReference(x, w, p).values);
    }

    void safeRangeRunsOneDnnExactly_data()
    {
        QTest::addColumn<int>("wBits");
        QTest::addColumn<int>("aBits");
        QTest::newRow("7-bit weights, 8-bit activations") << 7 << 8;   // 2·255·63 = 32130
        QTest::newRow("8-bit weights, 7-bit activations") << 8 << 7;   // 2·127·127 = 32258
        QTest::newRow("4-bit weights, 8-bit activations") << 4 << 8;
    }
    void safeRangeRunsOneDnnExactly()
    {
        QFETCH(int, wBits);
        QFETCH(int, aBits);
        std::mt19937 rng(static_cast<unsigned>(wBits * 10 + aBits));
        const int64_t zp = (int64_t{1} << aBits) / 3;

        const auto x = randomActivation({2, 16, 9, 9}, aBits, zp, rng);
        const auto w = randomWeight({24, 8, 3, 3}, wBits, rng);
        const bg::IntConvParams p{"conv", 2, {2, 1}, {1, 1}, {1, 0}, {1, 2}};
        const auto c = bg::intConvFast(x, w, p);
        QCOMPARE(c.path, bg::IntKernelPath::OneDnn);
        QVERIFY(c.values == bg::intConvReference(x, w, p).values);

        const auto wt = randomWeight({16, 3, 3, 3}, wBits, rng);
        const bg::IntConvTransposeParams tp{"convT", 2, {2, 2}, {1, 1}, {1, 1}, {0, 1}, {1, 0}};
        const auto t = bg::intConvTransposeFast(x, wt, tp);
        QCOMPARE(t.path, bg::IntKernelPath::OneDnn);
        QVERIFY(t.values == bg::intConvTransposeReference(x, wt, tp).values);

        const auto a = randomActivation({5, 96}, aBits, zp, rng);
        const auto b = randomWeight({12, 96}, wBits, rng);
        const bg::IntMatMulParams mp{"gemm", true};
        const auto g = bg::intMatMulFast(a, b, mp);
        QCOMPARE(g.path, bg::IntKernelPath::OneDnn);
        QVERIFY(g.values == bg::intMatMulReference(a, b, mp).values);
    }
};

QTEST_APPLESS_MAIN(TestIntKernelsNoVnni)
#include "tst_int_kernels_novnni.moc"
