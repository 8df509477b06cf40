// The bias split of gamma separation (arithmetic/bias_split.h, docs/SPEC_NOTES.md "Bias split"):
// splitBias against a brute force over every register pair, hand-computed widenings, and what
// auto reports for a one-channel model.
#include "arithmetic/bias_split.h"
#include "analysis/fold_analysis.h"
#include "folding/fold_pair_finder.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cmath>
#include <random>

namespace {

// The smallest |M·p + q − T| over every (p, q) of two signed `bits`-bit registers.
double bruteForceError(double target, double multiplier, int bits)
{
    const int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
    double best = INFINITY;
    for (int p = lo; p <= hi; ++p)
        for (int q = lo; q <= hi; ++q)
            best = std::min(best, std::fabs(multiplier * p + q - target));
    return best;
}

// conv (K input channels, weights 1) -> BN(gamma 1, var 1, eps 0, beta 0, mean mu) -> Relu.
bg::Graph oneChannelModel(float mu)
{
    auto vec = [](float v) { return bg::Tensor({1}, std::vector<float>{v}); };
    bg::OnnxBuilder b(13);
    b.input("x", {1, 1, 2, 2}).output("y");
    b.initializer("W", bg::Tensor({1, 1, 1, 1}, std::vector<float>{1.0f}));
    b.initializer("g", vec(1)).initializer("beta", vec(0)).initializer("mu", vec(mu)).initializer("v", vec(1));
    b.node("Conv", {"x", "W"}, {"z"}, {}, "conv");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"n"}, {{"epsilon", 0.0f}}, "bn");
    b.node("Relu", {"n"}, {"y"}, {}, "relu");
    return bg::loadModelFromBytes(b.serialize(), "one.onnx");
}

bg::ChannelAnalysis analyzeOne(float mu, double outputMax)
{
    const bg::Graph g = oneChannelModel(mu);
    bg::QuantSettings s;
    s.biasBits = 8;
    const bg::RangeTable ranges{{"x", {0.0, 255.0 / 64.0}}, {"z", {-64.0, 64.0}}, {"y", {0.0, outputMax}}};
    return bg::analyzeFolds(g, bg::findFoldPairs(g), s, ranges).layers.at(0).channels.at(0);
}

} // namespace

class TestBiasSplit : public QObject {
    Q_OBJECT
private slots:
    void handComputedSplits_data()
    {
        QTest::addColumn<double>("target");
        QTest::addColumn<double>("multiplier");
        QTest::addColumn<double>("preferred");
        QTest::addColumn<double>("error");
        QTest::addColumn<qlonglong>("post");
        // Exact with post 0: the in-range fold itself.
        QTest::newRow("fits the pre register") << 10.0 << 0.5 << 0.0 << 0.0 << qlonglong(0);
        // Exact splits have post in [140 − 127/7, 127]: 122 is the one closest to 0 (pre 126).
        QTest::newRow("carried into post") << 140.0 << 1.0 / 7 << 0.0 << 0.0 << qlonglong(122);
        // Beyond 127 + 127/7 = 145.142857: both registers at their maximum.
        QTest::newRow("beyond both registers") << 160.0 << 1.0 / 7 << 0.0 << 160.0 - 127.0 - 127.0 / 7 << qlonglong(127);
        QTest::newRow("negative beyond both") << -200.0 << 0.25 << 0.0 << 200.0 - 128.0 - 32.0 << qlonglong(-128);
        // M = 0 (γ = 0): only the post part counts.
        QTest::newRow("zero multiplier") << 12.4 << 0.0 << 0.0 << 0.4 << qlonglong(12);
    }
    void handComputedSplits()
    {
        QFETCH(double, target);
        QFETCH(double, multiplier);
        QFETCH(double, preferred);
        QFETCH(double, error);
        QFETCH(qlonglong, post);
        const bg::BiasSplit s = bg::splitBias(target, multiplier, 8, preferred);
        QVERIFY2(std::fabs(s.error - error) < 1e-9, qPrintable(QString::number(s.error, 'g', 17)));
        QCOMPARE(qlonglong(s.post), post);
        QVERIFY(std::fabs(std::fabs(multiplier * double(s.pre) + double(s.post) - target) - s.error) < 1e-9);
        QVERIFY(s.pre >= -128 && s.pre <= 127 && s.post >= -128 && s.post <= 127);
    }

    // Fixed seed: splitBias is as exact as the registers allow, up to an in-range fold's own bias
    // rounding (min(|M|, 1)/2 output steps), compared with a search over every register pair.
    void matchesBruteForce()
    {
        std::mt19937_64 rng(20261125);
        std::uniform_real_distribution<double> logM(-4.0, 1.5), t(-400.0, 400.0), pref(-150.0, 150.0);
        for (int i = 0; i < 300; ++i) {
            const double m = std::pow(10.0, logM(rng)) * (i % 3 == 0 ? -1.0 : 1.0);
            const double target = t(rng);
            const bg::BiasSplit s = bg::splitBias(target, m, 8, pref(rng));
            const double best = bruteForceError(target, m, 8);
            QVERIFY2(s.error <= std::max(best, std::min(std::fabs(m), 1.0) / 2) + 1e-9,
                     qPrintable(QStringLiteral("T=%1 M=%2: %3 vs brute force %4").arg(target).arg(m).arg(s.error).arg(best)));
            QVERIFY(std::fabs(std::fabs(m * double(s.pre) + double(s.post) - target) - s.error) < 1e-9);
        }
    }

    void preferredPostAmongExactSplits()
    {
        // T = 48, M = 1/28 (the one-channel model below): exact posts are 44..52; β/s_y = 50 wins.
        const bg::BiasSplit s = bg::splitBias(48.0, 1.0 / 28, 8, 50.0);
        QCOMPARE(s.error, 0.0);
        QCOMPARE(qlonglong(s.post), qlonglong(50));
        QCOMPARE(qlonglong(s.pre), qlonglong(-56));
    }

    void separationWidensOnlyWhenTheRegistersCannotHoldTheBias()
    {
        bg::SeparationInput in;
        in.foldFactor = 1.0;
        in.baseScale = 1.0 / 7;
        in.inputScale = in.outputScale = 1.0 / 64;  // M = s_W
        in.biasBits = 8;
        in.maxAbsWeight = 1.0;
        in.foldedBias = 2.0;  // T = 128 ≤ 127 + 127/7: exact as it is
        bg::Separation s = bg::planSeparation(in);
        QVERIFY(s.exact);
        QVERIFY(!s.widened);
        QCOMPARE(s.weightScale, 1.0 / 7);

        in.foldedBias = 2.5;  // T = 160: 14.857 steps short; |M| must reach (160 − 127.5)/127
        s = bg::planSeparation(in);
        QVERIFY(s.exact && s.widened && !s.widenedToZero);
        QVERIFY(std::fabs(s.residualError - (160.0 - 127.0 - 127.0 / 7)) < 1e-9);
        QVERIFY2(std::fabs(s.weightScale / (32.5 / 127) - 1.0) < 1e-9, qPrintable(QString::number(s.weightScale, 'g', 17)));
        QVERIFY(s.split.error <= 0.5);
        QCOMPARE(s.multiplier, s.weightScale);

        in.foldedBias = 40.0;  // T = 2560: |M| ≈ 19.2, weight 1 rounds to 0 at that scale
        s = bg::planSeparation(in);
        QVERIFY(s.exact && s.widened && s.widenedToZero);
    }

    // Auto on the one-channel model (s_x = 1/64, a = 1, s_W = 1/7, B_c = b'·448 out of an 8-bit range).
    void autoReportsTheSplit()
    {
        // y in [0, 255/16]: T = 48 steps, M = 1/28; exact split with post closest to β/s_y = 0.
        bg::ChannelAnalysis ch = analyzeOne(-3.0f, 255.0 / 16);
        QCOMPARE(ch.biasInt, 1344.0);
        QVERIFY(ch.outOfRange);
        QCOMPARE(ch.bitsSeparated, 12);  // §7's own q_pre = 1344 would not fit
        QCOMPARE(int(ch.autoStrategy), int(bg::Strategy::Separate));
        QVERIFY(!ch.widened && !ch.unfixable);
        QCOMPARE(ch.splitError, 0.0);
        QCOMPARE(qlonglong(ch.splitPost), qlonglong(44));
        QCOMPARE(qlonglong(ch.splitPre), qlonglong(112));

        // y in [0, 255/64]: T = 160 steps, only a widened scale holds it.
        ch = analyzeOne(-2.5f, 255.0 / 64);
        QCOMPARE(int(ch.autoStrategy), int(bg::Strategy::Separate));
        QVERIFY(ch.widened && !ch.unfixable);
        QVERIFY(std::fabs(ch.widenedWeightScale / (32.5 / 127) - 1.0) < 1e-9);
        QVERIFY2(ch.note.find("widened x1.791") != std::string::npos, ch.note.c_str());
    }
};

QTEST_APPLESS_MAIN(TestBiasSplit)
#include "tst_bias_split.moc"
