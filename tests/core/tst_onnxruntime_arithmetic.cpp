// The onnxruntime arithmetic (docs/SPEC_NOTES.md "Arithmetic: onnxruntime"): what ONNX Runtime's
// CPU kernels compute for BiasGuard's QDQ export, against references written differently —
// float32 quotients and products formed in double and rounded once (for + − × ÷ of two float32
// values that is the float32 result), ties decided by comparing the fraction with 1/2.
//   - quantizeLinearOrt (QuantizeLinear): float32 x / s, half to even, clamped, + zp;
//   - requantizeValueOrt (QLinearConv/QGemm): float32(t) · M_f in float32, half to even;
//   - requantizeValueOrtChain (the export's integer chain: Cast → Mul → Add → QuantizeLinear), each
//     step rounded to float32 on its own (no FMA, no int32 sum kept exact beyond 2^24);
//   - qlinearMulValueOrt / qlinearMulOrt (QLinearMul: the integer product times a float32 ratio, zp
//     added in float32 before the rounding), broadcast as numpy does;
//   - requantizeValueEven (a ConvTranspose, which ONNX Runtime runs in float32);
//   - the integer pipeline takes the form the export writes for each group (QdqLayerForm).
// The exact arithmetic (§3/§6) is tested by tst_quant_math, tst_activation_quantizer, tst_int_kernels.
#include "analysis/fold_analysis.h"
#include "common/qdq_test_models.h"
#include "fix/fix_plan.h"
#include "integer/activation_quantizer.h"
#include "integer/int_requantize.h"
#include "integer/integer_runtime.h"
#include "integer/ort_qlinear_mul.h"
#include "io/error.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

namespace {

// Half to even on a finite double, without nearbyint.
double roundEvenByHand(double v)
{
    const double k = std::floor(v);
    const double frac = v - k;
    if (frac > 0.5)
        return k + 1;
    if (frac < 0.5)
        return k;
    return std::fmod(k, 2.0) == 0 ? k : k + 1;
}

int64_t quantizeReference(float x, float s, int64_t zp, int64_t qmax)
{
    const float t = static_cast<float>(static_cast<double>(x) / static_cast<double>(s));
    if (std::isnan(t))
        return zp;
    const double c = std::clamp(static_cast<double>(t), static_cast<double>(-zp), static_cast<double>(qmax - zp));
    return static_cast<int64_t>(roundEvenByHand(c)) + zp;
}

int64_t requantizeReference(int32_t t, float m, int64_t zp, int64_t lo, int64_t hi)
{
    const float tf = static_cast<float>(t);
    const float v = static_cast<float>(static_cast<double>(tf) * static_cast<double>(m));
    const double code = roundEvenByHand(static_cast<double>(v)) + static_cast<double>(zp);
    return static_cast<int64_t>(std::clamp(code, static_cast<double>(lo), static_cast<double>(hi)));
}

// The integer chain with every float32 step formed in double and rounded once.
int64_t chainReference(int32_t t, float k, float post, float sy, int64_t zp, int64_t qmax)
{
    const float tf = static_cast<float>(static_cast<double>(t));
    const float scaled = static_cast<float>(static_cast<double>(tf) * static_cast<double>(k));
    const float real = static_cast<float>(static_cast<double>(scaled) + static_cast<double>(post));
    return quantizeReference(real, sy, zp, qmax);
}

} // namespace

class TestOnnxRuntimeArithmetic : public QObject {
    Q_OBJECT
private slots:
    void quantizeLinearTies_data()
    {
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("scale");
        QTest::addColumn<int>("zeroPoint");
        QTest::addColumn<int>("ort");    // half to even
        QTest::addColumn<int>("exact");  // §4: half away from zero
        QTest::newRow("0.5 -> 0") << 0.125f << 0.25f << 0 << 0 << 1;
        QTest::newRow("1.5 -> 2") << 0.375f << 0.25f << 0 << 2 << 2;
        QTest::newRow("2.5 -> 2") << 0.625f << 0.25f << 0 << 2 << 3;
        QTest::newRow("-0.5 -> 0, zp 10") << -0.125f << 0.25f << 10 << 10 << 9;
        QTest::newRow("-1.5 -> -2, zp 10") << -0.375f << 0.25f << 10 << 8 << 8;
        QTest::newRow("clamped above") << 100.0f << 0.25f << 0 << 255 << 255;
        QTest::newRow("clamped below") << -100.0f << 0.25f << 10 << 0 << 0;
    }

    void quantizeLinearTies()
    {
        QFETCH(float, x);
        QFETCH(float, scale);
        QFETCH(int, zeroPoint);
        QFETCH(int, ort);
        QFETCH(int, exact);
        bg::ActivationQuant q{.scale = scale, .zeroPoint = zeroPoint, .bits = 8, .arithmetic = bg::Arithmetic::OnnxRuntime};
        QCOMPARE(q.quantize(x), int64_t(ort));
        QCOMPARE(bg::quantizeActivation(bg::Tensor({1}, std::vector<float>{x}), q).values[0], uint8_t(ort));
        q.arithmetic = bg::Arithmetic::Exact;
        QCOMPARE(q.quantize(x), int64_t(exact));
    }

    // PaddleOCR's preprocessing (v / 127.5 − 1) on the [−1, 1] grid (s = float(2/255), zp = 128):
    // every pixel lands near a tie, so the two arithmetics differ on many of them, and the
    // onnxruntime one equals the float32 quotient rounded half to even on all 256.
    void pixelGridNearTies()
    {
        const bg::ActivationQuant ort = bg::activationQuantFromRange(-1.0, 1.0, 8, bg::Arithmetic::OnnxRuntime);
        const bg::ActivationQuant exact = bg::activationQuantFromRange(-1.0, 1.0, 8, bg::Arithmetic::Exact);
        QCOMPARE(ort.scale, exact.scale);
        QCOMPARE(ort.zeroPoint, int64_t(128));
        int differ = 0;
        for (int v = 0; v < 256; ++v) {
            const float x = static_cast<float>(v) / 127.5f - 1.0f;
            QCOMPARE(ort.quantize(x), quantizeReference(x, static_cast<float>(ort.scale), 128, 255));
            differ += ort.quantize(x) != exact.quantize(x) ? 1 : 0;
        }
        QVERIFY2(differ > 0, "the pixel grid shows no tie: the test would not tell the arithmetics apart");
        qInfo("%d of 256 pixel values quantize differently", differ);
    }

    void quantizeLinearRandom_data()
    {
        QTest::addColumn<double>("scale");
        QTest::addColumn<int>("zeroPoint");
        QTest::addColumn<int>("bits");
        QTest::newRow("s 1/255, zp 0") << double(float(1.0 / 255)) << 0 << 8;
        QTest::newRow("s 2/255, zp 128") << double(float(2.0 / 255)) << 128 << 8;
        QTest::newRow("s 503/256, zp 128") << 503.0 / 256 << 128 << 8;
        QTest::newRow("s 0.37, zp 5, 4 bit") << double(float(0.37)) << 5 << 4;
    }

    // Whole tensors (split across threads) against the reference, on ties, their neighbours, both
    // ends of the range, infinities, NaN and random values.
    void quantizeLinearRandom()
    {
        QFETCH(double, scale);
        QFETCH(int, zeroPoint);
        QFETCH(int, bits);
        const bg::ActivationQuant q{.scale = scale, .zeroPoint = zeroPoint, .bits = bits, .arithmetic = bg::Arithmetic::OnnxRuntime};
        const int64_t qmax = bg::activationQmax(bits);
        std::vector<float> v{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN(), 0.0f, -0.0f, std::numeric_limits<float>::max()};
        for (int64_t k = -zeroPoint - 2; k <= qmax - zeroPoint + 2; ++k) {
            const float x = static_cast<float>((static_cast<double>(k) + 0.5) * scale);
            v.insert(v.end(), {x, std::nextafter(x, 1e30f), std::nextafter(x, -1e30f)});
        }
        std::mt19937 gen(11);
        std::uniform_real_distribution<double> dist(-300 * scale, 300 * scale);
        while (v.size() < (size_t(3) << 20))
            v.push_back(static_cast<float>(dist(gen)));
        const bg::QuantActivation codes = bg::quantizeActivation(bg::Tensor({int64_t(v.size())}, v), q);
        int64_t mismatches = 0;
        for (size_t i = 0; i < v.size(); ++i)
            mismatches += codes.values[i] != quantizeReference(v[i], float(scale), zeroPoint, qmax) ? 1 : 0;
        QCOMPARE(mismatches, int64_t(0));
    }

    void requantizeFused_data()
    {
        QTest::addColumn<int>("t");
        QTest::addColumn<float>("m");
        QTest::addColumn<int>("zp");
        QTest::addColumn<int>("lo");
        QTest::addColumn<int>("hi");
        QTest::addColumn<int>("expected");
        QTest::newRow("0.5 -> 0") << 1 << 0.5f << 0 << 0 << 255 << 0;
        QTest::newRow("1.5 -> 2") << 3 << 0.5f << 0 << 0 << 255 << 2;
        QTest::newRow("-2.5 -> -2, zp 100") << -5 << 0.5f << 100 << 0 << 255 << 98;
        // 2^24 + 1 is not a float32: ONNX Runtime's float(t) rounds it to 2^24 before scaling.
        QTest::newRow("float(t) rounds") << (1 << 24) + 1 << 1.0f / (1 << 17) << 0 << 0 << 255 << 128;
        QTest::newRow("fused Relu clamp") << -1000 << 0.01f << 20 << 20 << 255 << 20;
        QTest::newRow("clamp above") << 1 << 1e9f << 0 << 0 << 255 << 255;
    }

    void requantizeFused()
    {
        QFETCH(int, t);
        QFETCH(float, m);
        QFETCH(int, zp);
        QFETCH(int, lo);
        QFETCH(int, hi);
        QFETCH(int, expected);
        QCOMPARE(bg::requantizeValueOrt(t, m, zp, lo, hi), int64_t(expected));
        QCOMPARE(requantizeReference(t, m, zp, lo, hi), int64_t(expected));
    }

    void requantizeFusedRandom()
    {
        std::mt19937 gen(5);
        std::uniform_int_distribution<int32_t> acc(-3000000, 3000000);
        std::uniform_real_distribution<float> mult(1e-6f, 1e-3f);
        std::uniform_int_distribution<int> zps(0, 255);
        for (int i = 0; i < 200000; ++i) {
            const int32_t t = acc(gen);
            const float m = mult(gen);
            const int zp = zps(gen);
            QCOMPARE(bg::requantizeValueOrt(t, m, zp, 0, 255), requantizeReference(t, m, zp, 0, 255));
        }
    }

    // The unfused form rounds M·t + post once: at a tie the parity is that of the sum.
    void requantizeEvenRoundsTheSum()
    {
        QCOMPARE(bg::requantizeValueEven(1, 0.5, 1, 0, 0, 255), int64_t(2));   // round_even(1.5)
        QCOMPARE(bg::requantizeValueEven(1, 0.5, 0, 0, 0, 255), int64_t(0));   // round_even(0.5)
        QCOMPARE(bg::requantizeValueEven(-1, 0.5, 0, 10, 0, 255), int64_t(10));
        QCOMPARE(bg::requantizeValue(1, 0.5, 0, 0, 0, 255), int64_t(1));       // §6: half away
        QCOMPARE(bg::requantizeValueEven(7, std::nan(""), 3, 40, 0, 255), int64_t(40));
    }

    // Cases where ONNX Runtime's chain and exact arithmetic part: the Cast of an int32 beyond 2^24,
    // a Mul and an Add that one FMA would round once, a tie decided to even.
    void requantizeChain_data()
    {
        QTest::addColumn<int>("t");
        QTest::addColumn<float>("k");
        QTest::addColumn<float>("post");
        QTest::addColumn<float>("sy");
        QTest::addColumn<int>("zp");
        QTest::addColumn<int>("expected");
        // 2^25 + 2 is a tie between 2^25 and 2^25 + 4 in float32: to even, 2^25; then 2^25/4 − 2^23 = 0
        // (exactly: 0.5, which §6 would round to zp + 1).
        QTest::newRow("cast rounds beyond 2^24") << 33554434 << 0.25f << -8388608.0f << 1.0f << 10 << 10;
        // 4097 · (4097·2^-24) = 1 + 2^-11 + 2^-24: float32 keeps 1 + 2^-11 (a tie, to even), and the
        // Add of −(1 + 2^-11) gives 0. An FMA would keep 2^-24, which is code 4 at s_y = 2^-26.
        QTest::newRow("mul and add round apart") << 4097 << float(4097.0 / 16777216.0) << -float(1.0 + 1.0 / 2048.0)
                                                 << float(1.0 / 67108864.0) << 0 << 0;
        QTest::newRow("tie to even") << 5 << 0.5f << 0.0f << 1.0f << 0 << 2;
        QTest::newRow("tie to even, odd") << 7 << 0.5f << 0.0f << 1.0f << 0 << 4;
        QTest::newRow("post after the product") << 3 << 0.5f << 2.0f << 0.5f << 100 << 107;  // (1.5 + 2)/0.5
        QTest::newRow("saturates high") << 1000000 << 1.0f << 0.0f << 1.0f << 3 << 255;
        QTest::newRow("saturates low") << -1000000 << 1.0f << 0.0f << 1.0f << 3 << 0;
    }

    void requantizeChain()
    {
        QFETCH(int, t);
        QFETCH(float, k);
        QFETCH(float, post);
        QFETCH(float, sy);
        QFETCH(int, zp);
        QFETCH(int, expected);
        QCOMPARE(bg::requantizeValueOrtChain(t, k, post, sy, zp, 255, 0, 255), int64_t(expected));
        QCOMPARE(chainReference(t, k, post, sy, zp, 255), int64_t(expected));
    }

    void requantizeChainRandom()
    {
        std::mt19937 gen(9);
        std::uniform_int_distribution<int32_t> acc(-40000000, 40000000);
        std::uniform_real_distribution<float> scale(1e-7f, 1e-3f), posts(-50.0f, 50.0f), sys(0.005f, 0.5f);
        std::uniform_int_distribution<int> zps(0, 255);
        for (int i = 0; i < 200000; ++i) {
            const int32_t t = acc(gen);
            const float k = scale(gen), post = posts(gen), sy = sys(gen);
            const int zp = zps(gen);
            QCOMPARE(bg::requantizeValueOrtChain(t, k, post, sy, zp, 255, 0, 255), chainReference(t, k, post, sy, zp, 255));
        }
        // The group's Relu/Clip narrows the codes after the QuantizeLinear.
        QCOMPARE(bg::requantizeValueOrtChain(-100, 1.0f, 0.0f, 1.0f, 50, 255, 50, 200), int64_t(50));
        QCOMPARE(bg::requantizeValueOrtChain(1000, 1.0f, 0.0f, 1.0f, 50, 255, 50, 200), int64_t(200));
    }

    // MLAS adds zp_c in float32 before rounding: 3 · (0.5 − 2^-25) is 1.4999999 in float32, and
    // 1.4999999 + 128 is 129.5 there, which rounds to even 130 (round_even(1.4999999) + 128 = 129).
    void qlinearMulAddsTheZeroPointInFloat()
    {
        const float r = std::nextafter(0.5f, 0.0f);
        QCOMPARE(int(bg::qlinearMulValueOrt(3, r, 128)), 130);
        QCOMPARE(int(bg::qlinearMulValueOrt(3, r, 0)), 1);
        QCOMPARE(int(bg::qlinearMulValueOrt(5, 0.5f, 0)), 2);          // 2.5: to even
        QCOMPARE(int(bg::qlinearMulValueOrt(-40000, 0.5f, 10)), 0);    // saturates low
        QCOMPARE(int(bg::qlinearMulValueOrt(40000, 0.5f, 10)), 255);   // saturates high
        const double sa = double(float(0.0123)), sb = double(float(1.0 / 255)), sc = double(float(0.0231));
        QCOMPARE(bg::qlinearMulRatio(sa, sb, sc), float(sa) * float(sb) / float(sc));
    }

    // An SE gate's broadcast, [2, 3, 2, 2] × [2, 3, 1, 1], against an index-by-index reference.
    void qlinearMulBroadcasts()
    {
        std::mt19937 gen(3);
        std::uniform_int_distribution<int> code(0, 255);
        bg::QuantActivation a{{2, 3, 2, 2}, {}, 7, 8}, b{{2, 3, 1, 1}, {}, 0, 8};
        for (int i = 0; i < 24; ++i)
            a.values.push_back(uint8_t(code(gen)));
        for (int i = 0; i < 6; ++i)
            b.values.push_back(uint8_t(code(gen)));
        const float ratio = 0.0137f;
        for (const bool swapped : {false, true}) {
            const bg::QuantActivation c = swapped ? bg::qlinearMulOrt(b, a, ratio, 100, "Mul") : bg::qlinearMulOrt(a, b, ratio, 100, "Mul");
            QCOMPARE(c.shape, (bg::Shape{2, 3, 2, 2}));
            QCOMPARE(c.zeroPoint, int64_t(100));
            for (int i = 0; i < 24; ++i) {
                const int product = (int(a.values[size_t(i)]) - 7) * int(b.values[size_t(i / 4)]);
                QCOMPARE(int(c.values[size_t(i)]), int(bg::qlinearMulValueOrt(product, ratio, 100)));
            }
        }
        bg::QuantActivation d{{4}, std::vector<uint8_t>(4, 1), 0, 8};
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::qlinearMulOrt(a, d, ratio, 100, "Mul"));
    }

    void multiplierIsFormedInFloat32()
    {
        const double sx = double(float(0.0123)), sw = 0.00731, sy = double(float(0.0456));
        const float xw = float(sx) * float(sw);
        QCOMPARE(bg::ortRequantMultiplier(sx, sw, sy), xw / float(sy));
    }

    // The integer pipeline: with the onnxruntime arithmetic a clamp-plan Conv or Gemm group (which
    // the export writes as DQ → L → Q, one QLinearConv / QGemm) requantizes with float32
    // multipliers; a group with separated channels or a MatMul (the export's ConvInteger /
    // MatMulInteger chain) with the chain's float32 k_c and DQ(post_c); with the exact arithmetic
    // neither. Inputs are quantized with the runtime's arithmetic too.
    void runtimeTakesTheExportsFormOfEachGroup()
    {
        QTemporaryDir dir;
        const bgtest::QdqTestCase c =
            bgtest::prepareQdqTestCase(bgtest::writeHeadsModel(dir.path()), 0, 0, 4, bgtest::QdqInputs::Noise);
        const bg::Graph& graph = c.structure->graph;
        for (bg::Arithmetic a : {bg::Arithmetic::Exact, bg::Arithmetic::OnnxRuntime})
            for (bg::Strategy plan : {bg::Strategy::Clamp, bg::Strategy::Separate}) {
                bg::QuantSettings s;
                s.weightBits = 8;
                s.arithmetic = a;
                const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, c.structure->pairs, s, c.ranges);
                const bg::IntegerRuntime rt(*c.structure, c.ranges, analysis, bg::FixPlan(plan));
                QCOMPARE(rt.quantizedGroups().size(), size_t(4));
                QCOMPARE(rt.activationQuant(graph.inputs.front().name).arithmetic, a);
                int fusedGroups = 0, chainGroups = 0;
                for (const bg::QuantizedGroup& qg : rt.quantizedGroups()) {
                    const bg::LinearKind kind = rt.groups().groups[qg.groupIndex].kind;
                    const bool matMul = kind == bg::LinearKind::MatMul;
                    const bool ort = a == bg::Arithmetic::OnnxRuntime;
                    const bool fused = plan == bg::Strategy::Clamp && !matMul;
                    QCOMPARE(bg::qdqLayerForm(qg, kind),
                             fused ? bg::QdqLayerForm::FusedOperator : bg::QdqLayerForm::IntegerChain);
                    QCOMPARE(qg.requant.arithmetic, a);
                    QCOMPARE(qg.requant.multiplierOrt.empty(), !(ort && fused));
                    QCOMPARE(qg.requant.chainScale.empty(), !(ort && !fused));
                    fusedGroups += ort && fused ? 1 : 0;
                    chainGroups += ort && !fused ? 1 : 0;
                    for (size_t k = 0; k < qg.channels.size(); ++k) {
                        const bg::ChannelRequant& r = qg.channels[k];
                        if (ort && fused)
                            QCOMPARE(qg.requant.multiplierOrt[k],
                                     bg::ortRequantMultiplier(qg.input.scale, r.weightScale, qg.output.scale));
                        if (ort && !fused) {
                            QCOMPARE(qg.requant.chainScale[k], float(qg.input.scale * r.weightScale * r.gammaScale));
                            QCOMPARE(qg.requant.chainPost[k], float(r.post) * float(qg.output.scale));
                        }
                    }
                }
                QCOMPARE(fusedGroups, a == bg::Arithmetic::OnnxRuntime && plan == bg::Strategy::Clamp ? 3 : 0);
                QCOMPARE(chainGroups, a == bg::Arithmetic::OnnxRuntime ? (plan == bg::Strategy::Clamp ? 1 : 4) : 0);
                QVERIFY(!rt.run(c.inputs.front()).outputs.empty());
            }
    }
};

QTEST_GUILESS_MAIN(TestOnnxRuntimeArithmetic)
#include "tst_onnxruntime_arithmetic.moc"
