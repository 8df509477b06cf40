// QUANT_SPEC §3–§4 elementary arithmetic: rounding, saturation, bit counting, activation scales.
#include "arithmetic/quant_math.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

class TestQuantMath : public QObject {
    Q_OBJECT
private slots:
    void roundHalfAway_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("expected");
        QTest::newRow("half up") << 2.5 << 3.0;
        QTest::newRow("half down negative") << -2.5 << -3.0;
        QTest::newRow("below half") << 2.4999 << 2.0;
        QTest::newRow("zero") << 0.0 << 0.0;
        QTest::newRow("minus half") << -0.5 << -1.0;
    }
    void roundHalfAway()
    {
        QFETCH(double, x);
        QFETCH(double, expected);
        QCOMPARE(bg::roundHalfAway(x), expected);
    }
    // roundHalfAway is std::round without the libm call: the same double, bit for bit (the sign of
    // a zero, the ties next to 2^52, the values above it, ±inf and NaN), on edge cases and 10^6
    // random values of every magnitude (fixed seed).
    void roundHalfAwayIsStdRound()
    {
        const auto same = [](double x) {
            const double a = bg::roundHalfAway(x), b = std::round(x);
            if (std::isnan(b))
                return std::isnan(a);
            return std::memcmp(&a, &b, sizeof a) == 0;
        };
        const double inf = std::numeric_limits<double>::infinity();
        for (double x : {0.0, -0.0, 0.5, -0.5, 0.49999999999999994, -0.49999999999999994, 1.5, -1.5, 2.5,
                         -0.3, 0x1p52 - 0.5, -(0x1p52 - 0.5), 0x1p52, 0x1p52 + 1, -0x1p52, 0x1p53 + 2, 0x1p62,
                         -0x1p63, 1e300, -1e300, std::numeric_limits<double>::denorm_min(), inf, -inf,
                         std::numeric_limits<double>::quiet_NaN()})
            QVERIFY2(same(x), qPrintable(QString::number(x, 'g', 17)));
        std::mt19937_64 rng(20261203);
        std::uniform_real_distribution<double> mantissa(-2.0, 2.0);
        std::uniform_int_distribution<int> exponent(-60, 70);
        for (int i = 0; i < 1000000; ++i) {
            const double x = std::ldexp(mantissa(rng), exponent(rng));
            const double tie = std::trunc(x) + (x < 0 ? -0.5 : 0.5);  // a tie near x
            QVERIFY2(same(x), qPrintable(QString::number(x, 'g', 17)));
            QVERIFY2(same(tie), qPrintable(QString::number(tie, 'g', 17)));
        }
    }

    void bitsNeeded_data()
    {
        QTest::addColumn<qint64>("q");
        QTest::addColumn<int>("bits");
        QTest::newRow("0") << qint64(0) << 1;
        QTest::newRow("-1") << qint64(-1) << 1;
        QTest::newRow("1") << qint64(1) << 2;
        QTest::newRow("127") << qint64(127) << 8;
        QTest::newRow("128") << qint64(128) << 9;
        QTest::newRow("-128") << qint64(-128) << 8;
        QTest::newRow("-129") << qint64(-129) << 9;
        QTest::newRow("32767") << qint64(32767) << 16;
        QTest::newRow("32768") << qint64(32768) << 17;
    }
    void bitsNeeded()
    {
        QFETCH(qint64, q);
        QFETCH(int, bits);
        QCOMPARE(bg::bitsNeeded(static_cast<double>(q)), bits);
    }

    void bitsNeededHugeAndNonFinite()
    {
        QCOMPARE(bg::bitsNeeded(1.0e20), 68);  // 2^66 < 1e20 < 2^67
        QCOMPARE(bg::bitsNeeded(std::numeric_limits<double>::infinity()), bg::kUnrepresentableBits);
        QCOMPARE(bg::bitsNeeded(-std::numeric_limits<double>::infinity()), bg::kUnrepresentableBits);
        QCOMPARE(bg::bitsNeeded(std::numeric_limits<double>::quiet_NaN()), bg::kUnrepresentableBits);
    }

    void saturate()
    {
        QCOMPARE(bg::saturateSigned(40000, 16), qint64(32767));
        QCOMPARE(bg::saturateSigned(-40000, 16), qint64(-32768));
        QCOMPARE(bg::saturateSigned(-5, 8), qint64(-5));
        QCOMPARE(bg::weightQmax(4), qint64(7));
        QCOMPARE(bg::weightQmax(8), qint64(127));
    }

    void activationScale_data()
    {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<double>("scale");
        QTest::addColumn<qint64>("zp");
        QTest::newRow("relu range") << 0.5 << 2.55 << 0.01 << qint64(0);        // lo' = 0
        QTest::newRow("symmetric") << -1.0 << 1.0 << 2.0 / 255.0 << qint64(128); // 127.5 rounds away
        QTest::newRow("all negative") << -2.55 << -1.0 << 0.01 << qint64(255);   // hi' = 0
        QTest::newRow("degenerate") << 0.0 << 0.0 << 1.0 << qint64(0);
    }
    void activationScale()
    {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(double, scale);
        QFETCH(qint64, zp);
        const bg::ActivationQuant aq = bg::activationQuantFromRange(lo, hi, 8);
        // §4's scale rounded to float32 (SPEC_NOTES "QDQ export"): exactly the value an export stores.
        QCOMPARE(aq.scale, static_cast<double>(static_cast<float>(scale)));
        QCOMPARE(aq.zeroPoint, zp);
    }

    void quantizeClampsAndRounds()
    {
        const bg::ActivationQuant aq = bg::activationQuantFromRange(-1.0, 1.0, 8);
        QCOMPARE(aq.quantize(0.0), qint64(128));
        QCOMPARE(aq.quantize(5.0), qint64(255));
        QCOMPARE(aq.quantize(-5.0), qint64(0));
        QVERIFY(std::abs(aq.dequantize(aq.quantize(0.5)) - 0.5) <= aq.scale / 2);
        QCOMPARE(aq.quantize(std::numeric_limits<double>::quiet_NaN()), aq.zeroPoint);  // real 0
        QCOMPARE(aq.quantize(std::numeric_limits<double>::infinity()), qint64(255));
    }
};

QTEST_APPLESS_MAIN(TestQuantMath)
#include "tst_quant_math.moc"
