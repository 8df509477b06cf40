// QUANT_SPEC §2 (fold), §4 (weight scales), §5 (merged bias) and the bias parts of §7, checked
// against values computed by hand (the comment of each row shows the computation).
#include "arithmetic/fold_math.h"

#include <QtTest>

#include <cmath>
#include <limits>

using bg::Granularity;

Q_DECLARE_METATYPE(std::vector<double>)

class TestFoldMath : public QObject {
    Q_OBJECT
private slots:
    void foldFactor_data()
    {
        QTest::addColumn<double>("gamma");
        QTest::addColumn<double>("var");
        QTest::addColumn<double>("eps");
        QTest::addColumn<double>("sigma");
        QTest::addColumn<double>("a");
        QTest::newRow("sqrt(3+1)=2, 2/2") << 2.0 << 3.0 << 1.0 << 2.0 << 1.0;
        QTest::newRow("gamma 0") << 0.0 << 3.0 << 1.0 << 2.0 << 0.0;
        QTest::newRow("negative gamma: -3/sqrt(9)") << -3.0 << 8.0 << 1.0 << 3.0 << -1.0;
        QTest::newRow("var 0: sigma = sqrt(eps)") << 1.0 << 0.0 << 0.25 << 0.5 << 2.0;
        QTest::newRow("var 0, eps 0: a = inf") << 1.0 << 0.0 << 0.0 << 0.0 << std::numeric_limits<double>::infinity();
    }
    void foldFactor()
    {
        QFETCH(double, gamma);
        QFETCH(double, var);
        QFETCH(double, eps);
        QFETCH(double, sigma);
        QFETCH(double, a);
        QCOMPARE(bg::foldSigma(var, eps), sigma);
        QCOMPARE(bg::foldFactor(gamma, var, eps), a);
    }

    void foldedBiasAndWeights()
    {
        // b' = a (b - mu) + beta = 2 (1 - 3) + 0.5 = -3.5
        QCOMPARE(bg::foldedBias(2.0, 1.0, 3.0, 0.5), -3.5);
        // gamma = 0: b' = beta whatever the mean
        QCOMPARE(bg::foldedBias(0.0, 1.0, 300.0, 0.5), 0.5);
        QCOMPARE(bg::foldedWeights(-0.5, {2.0, -4.0, 0.0}), (std::vector<double>{-1.0, 2.0, -0.0}));
        QCOMPARE(bg::foldedWeight(-0.5, 3.0), -1.5);
    }

    void requantMultiplierAndBiasRegisters()
    {
        // M = a · s · s_x / s_y = 2 · 0.5 · 0.25 / 0.125; the naive fold passes a = 1
        QCOMPARE(bg::requantMultiplier(2.0, 0.5, 0.25, 0.125), 2.0);
        QCOMPARE(bg::requantMultiplier(1.0, 0.5, 0.25, 0.125), 1.0);
        // sat_8 of a rounded bias: in range, beyond it, beyond int64, NaN
        QCOMPARE(bg::saturateSigned(-128.0, 8), qint64(-128));
        QCOMPARE(bg::saturateSigned(128.0, 8), qint64(127));
        QCOMPARE(bg::saturateSigned(-1e300, 8), qint64(-128));
        QCOMPARE(bg::saturateSigned(std::numeric_limits<double>::quiet_NaN(), 8), qint64(0));
        // constant: round(b'/s_y) = round(1.5) = 2, huge values held within ±1e12, NaN gives 0
        QCOMPARE(bg::constantPostBias(0.375, 0.25), qint64(2));
        QCOMPARE(bg::constantPostBias(-1e300, 1.0), qint64(-1000000000000));
        QCOMPARE(bg::constantPostBias(std::numeric_limits<double>::quiet_NaN(), 1.0), qint64(0));
    }

    void weightScaleFromMax_data()
    {
        QTest::addColumn<double>("maxAbs");
        QTest::addColumn<int>("bits");
        QTest::addColumn<double>("scale");
        QTest::newRow("7 at 4 bits (Q=7)") << 7.0 << 4 << 1.0;
        QTest::newRow("3.5 at 4 bits") << 3.5 << 4 << 0.5;
        QTest::newRow("127 at 8 bits") << 127.0 << 8 << 1.0;
        QTest::newRow("2 bits: Q=1") << 0.25 << 2 << 0.25;
        QTest::newRow("all zero -> 1") << 0.0 << 4 << 1.0;
    }
    void weightScaleFromMax()
    {
        QFETCH(double, maxAbs);
        QFETCH(int, bits);
        QFETCH(double, scale);
        QCOMPARE(bg::weightScaleFromMax(maxAbs, bits), scale);
    }

    void weightScalesPerChannelAndTensor()
    {
        const std::vector<std::vector<double>> w{{1.0, -3.5}, {0.5, 0.25}, {0.0, 0.0}};
        // per channel: max|W_c| / 7, and 1 for the all-zero channel
        QCOMPARE(bg::weightScales(w, 4, Granularity::PerChannel), (std::vector<double>{0.5, 0.5 / 7.0, 1.0}));
        // per tensor: the max over all channels (3.5) / 7 = 0.5 everywhere
        QCOMPARE(bg::weightScales(w, 4, Granularity::PerTensor), (std::vector<double>{0.5, 0.5, 0.5}));
        // a layer of zeros only: 1
        QCOMPARE(bg::weightScales({{0.0}, {0.0}}, 4, Granularity::PerTensor), (std::vector<double>{1.0, 1.0}));
    }

    void crushed_data()
    {
        QTest::addColumn<std::vector<double>>("w");
        QTest::addColumn<double>("scale");
        QTest::addColumn<bool>("crushed");
        QTest::newRow("0.4999 and -0.49 round to 0") << std::vector<double>{0.4999, -0.49} << 1.0 << true;
        QTest::newRow("exactly half rounds away: 1") << std::vector<double>{0.5, 0.1} << 1.0 << false;
        QTest::newRow("minus half rounds to -1") << std::vector<double>{-0.5} << 1.0 << false;
        QTest::newRow("all zero is not crushed") << std::vector<double>{0.0, 0.0} << 1.0 << false;
        QTest::newRow("tiny vs scale 4/7") << std::vector<double>{std::ldexp(1.0, -10)} << 4.0 / 7.0 << true;
    }
    void crushed()
    {
        QFETCH(std::vector<double>, w);
        QFETCH(double, scale);
        QFETCH(bool, crushed);
        QCOMPARE(bg::isCrushed(w, scale, 4), crushed);
    }

    void quantizeWeightClamps()
    {
        QCOMPARE(bg::quantizeWeight(7.6, 1.0, 4), qint64(7));   // clamp to Q_w = 7
        QCOMPARE(bg::quantizeWeight(-9.0, 1.0, 4), qint64(-7)); // narrow range: -7, not -8
        QCOMPARE(bg::quantizeWeight(2.5, 1.0, 4), qint64(3));   // half away from zero
        QCOMPARE(bg::quantizeWeight(-2.5, 1.0, 4), qint64(-3));
    }

    void mergedBias_data()
    {
        QTest::addColumn<double>("biasFloat");
        QTest::addColumn<double>("sw");
        QTest::addColumn<double>("sx");
        QTest::addColumn<int>("nb");
        QTest::addColumn<double>("exact");
        QTest::addColumn<double>("q");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("out");
        // B = 0.75 / (0.25 * 0.5) = 6 -> bits 4 (-8..7)
        QTest::newRow("dyadic") << 0.75 << 0.25 << 0.5 << 16 << 6.0 << 6.0 << 4 << false;
        QTest::newRow("half rounds up: 2.5 -> 3") << 2.5 << 1.0 << 1.0 << 16 << 2.5 << 3.0 << 3 << false;
        QTest::newRow("half rounds down: -2.5 -> -3") << -2.5 << 1.0 << 1.0 << 16 << -2.5 << -3.0 << 3 << false;
        QTest::newRow("32767 fits 16") << 32767.0 << 1.0 << 1.0 << 16 << 32767.0 << 32767.0 << 16 << false;
        QTest::newRow("-32768 fits 16") << -32768.0 << 1.0 << 1.0 << 16 << -32768.0 << -32768.0 << 16 << false;
        QTest::newRow("32768 needs 17") << 32768.0 << 1.0 << 1.0 << 16 << 32768.0 << 32768.0 << 17 << true;
        QTest::newRow("32767.5 rounds to 32768: out") << 32767.5 << 1.0 << 1.0 << 16 << 32767.5 << 32768.0 << 17 << true;
        QTest::newRow("-32768.5 rounds to -32769: out") << -32768.5 << 1.0 << 1.0 << 16 << -32768.5 << -32769.0 << 17 << true;
        QTest::newRow("127 fits 8") << 127.0 << 1.0 << 1.0 << 8 << 127.0 << 127.0 << 8 << false;
        QTest::newRow("-129 needs 9") << -129.0 << 1.0 << 1.0 << 8 << -129.0 << -129.0 << 9 << true;
        QTest::newRow("0 needs 1") << 0.0 << 1.0 << 1.0 << 8 << 0.0 << 0.0 << 1 << false;
        // 2^70 / 2^-10 = 2^80: bits 82 (2^80 = 2^(k-1) needs k-1 = 81)
        QTest::newRow("2^80 beyond int64") << std::ldexp(1.0, 70) << std::ldexp(1.0, -10) << 1.0 << 32
                                            << std::ldexp(1.0, 80) << std::ldexp(1.0, 80) << 82 << true;
    }
    void mergedBias()
    {
        QFETCH(double, biasFloat);
        QFETCH(double, sw);
        QFETCH(double, sx);
        QFETCH(int, nb);
        QFETCH(double, exact);
        QFETCH(double, q);
        QFETCH(int, bits);
        QFETCH(bool, out);
        const bg::MergedBias m = bg::mergedBias(biasFloat, sw, sx, nb);
        QCOMPARE(m.exact, exact);
        QCOMPARE(m.rounded, q);
        QCOMPARE(m.bits, bits);
        QCOMPARE(m.outOfRange, out);
        QCOMPARE(m.headroom, std::fabs(q) / (std::ldexp(1.0, nb - 1) - 1.0));
    }

    void mergedBiasNonFinite()
    {
        // a = inf (var 0, eps 0) makes b' infinite or NaN: no register holds it.
        const bg::MergedBias inf = bg::mergedBias(std::numeric_limits<double>::infinity(), 1.0, 1.0, 16);
        QCOMPARE(inf.bits, bg::kUnrepresentableBits);
        QVERIFY(inf.outOfRange);
        const bg::MergedBias nan = bg::mergedBias(std::numeric_limits<double>::quiet_NaN(), 1.0, 1.0, 16);
        QCOMPARE(nan.bits, bg::kUnrepresentableBits);
        QVERIFY(nan.outOfRange);
    }

    void separatedBias()
    {
        // pre = (1 - 3) / (0.25 * 0.5) = -16 (5 bits), post = 0.75 / 0.25 = 3 (3 bits)
        bg::SeparatedBias s = bg::separatedBias(1.0, 3.0, 0.75, 0.25, 0.5, 0.25, 8);
        QCOMPARE(s.preExact, -16.0);
        QCOMPARE(s.preRounded, -16.0);
        QCOMPARE(s.postRounded, 3.0);
        QCOMPARE(s.pre, qint64(-16));
        QCOMPARE(s.post, qint64(3));
        QCOMPARE(s.bitsPre, 5);
        QCOMPARE(s.bitsPost, 3);
        QCOMPARE(s.bits, 5);
        QVERIFY(s.fits);

        // pre = 32 / (0.25 * 1) = 128 (9 bits, saturates to 127), post = -32.5 / 0.25 = -130 (9 bits, -128)
        s = bg::separatedBias(32.0, 0.0, -32.5, 0.25, 1.0, 0.25, 8);
        QCOMPARE(s.preRounded, 128.0);
        QCOMPARE(s.pre, qint64(127));
        QCOMPARE(s.postRounded, -130.0);
        QCOMPARE(s.post, qint64(-128));
        QCOMPARE(s.bits, 9);
        QVERIFY(!s.fits);

        // bits_separated is the larger part's bits: pre -128 (8 bits) vs post 128 (9 bits)
        s = bg::separatedBias(-32.0, 0.0, 32.0, 0.25, 1.0, 0.25, 8);
        QCOMPARE(s.bitsPre, 8);
        QCOMPARE(s.bitsPost, 9);
        QCOMPARE(s.bits, 9);
    }

    void widenedScale()
    {
        // |1000| / (1 * 127) = 7.874...: the widened scale makes round(1000 / s) = 127
        const double s = bg::widenedScale(1.0, 1000.0, 1.0, 8);
        QVERIFY(std::fabs(s - 1000.0 / 127.0) <= 1e-12);
        QVERIFY(std::fabs(std::round(1000.0 / s)) <= 127.0);
        // already wide enough: unchanged
        QCOMPARE(bg::widenedScale(10.0, 1000.0, 1.0, 8), 10.0);
        // negative numerator, scaled input: |-2| / (1/64 * 127) = 128/127
        const double s2 = bg::widenedScale(4.0 / 7.0, -2.0, 1.0 / 64.0, 8);
        QVERIFY(std::fabs(s2 - 128.0 / 127.0) <= 1e-12);
        QVERIFY(std::fabs(std::round(-2.0 / (s2 / 64.0))) <= 127.0);
    }

    void constantApplies_data()
    {
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("b");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<double>("sy");
        QTest::addColumn<bool>("applies");
        // reach = max(|0-1|, |3-1|) = 2; |a| * reach = 1
        QTest::newRow("1 < 2.01/2") << 0.5 << 1.0 << 0.0 << 3.0 << 2.01 << true;
        QTest::newRow("1 < 2/2 is false (strict)") << 0.5 << 1.0 << 0.0 << 3.0 << 2.0 << false;
        QTest::newRow("negative a uses |a|") << -0.5 << 1.0 << 0.0 << 3.0 << 2.01 << true;
        QTest::newRow("gamma 0 is always constant") << 0.0 << 0.0 << -1e6 << 1e6 << 1e-6 << true;
    }
    void constantApplies()
    {
        QFETCH(double, a);
        QFETCH(double, b);
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(double, sy);
        QFETCH(bool, applies);
        QCOMPARE(bg::constantApplies(a, b, lo, hi, sy), applies);
    }
};

QTEST_APPLESS_MAIN(TestFoldMath)
#include "tst_fold_math.moc"
