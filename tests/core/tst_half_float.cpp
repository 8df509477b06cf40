// float16 / bfloat16 conversions used by the loader, the tensor files and the conformance
// comparator. Expected bit patterns are worked out by hand from the IEEE 754 binary16 layout.
#include "model/half_float.h"

#include <QtTest>

#include <cmath>
#include <limits>

class TestHalfFloat : public QObject {
    Q_OBJECT

private slots:
    void halfToFloatKnownPatterns();
    void floatToHalfRounding_data();
    void floatToHalfRounding();
    void halfRoundTripsEveryPattern();
    void bfloat16();
};

void TestHalfFloat::halfToFloatKnownPatterns()
{
    QCOMPARE(bg::halfToFloat(0x3C00), 1.0f);
    QCOMPARE(bg::halfToFloat(0xC000), -2.0f);
    QCOMPARE(bg::halfToFloat(0x7BFF), 65504.0f);
    QCOMPARE(bg::halfToFloat(0x0400), std::ldexp(1.0f, -14));           // smallest normal
    QCOMPARE(bg::halfToFloat(0x0001), std::ldexp(1.0f, -24));           // smallest subnormal
    QCOMPARE(bg::halfToFloat(0x03FF), std::ldexp(1023.0f, -24));        // largest subnormal
    QCOMPARE(bg::halfToFloat(0x7C00), std::numeric_limits<float>::infinity());
    QCOMPARE(bg::halfToFloat(0xFC00), -std::numeric_limits<float>::infinity());
    QVERIFY(std::isnan(bg::halfToFloat(0x7E00)));
    QVERIFY(std::isnan(bg::halfToFloat(0x7C01)));  // signalling NaN stays NaN
    QVERIFY(std::signbit(bg::halfToFloat(0x8000)));
}

void TestHalfFloat::floatToHalfRounding_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("bits");
    QTest::newRow("one") << 1.0f << 0x3C00;
    QTest::newRow("minus two") << -2.0f << 0xC000;
    QTest::newRow("max finite") << 65504.0f << 0x7BFF;
    QTest::newRow("below the overflow midpoint") << 65519.0f << 0x7BFF;
    QTest::newRow("overflow midpoint rounds to inf") << 65520.0f << 0x7C00;
    QTest::newRow("large") << 1e10f << 0x7C00;
    QTest::newRow("-inf") << -std::numeric_limits<float>::infinity() << 0xFC00;
    QTest::newRow("smallest subnormal") << std::ldexp(1.0f, -24) << 0x0001;
    QTest::newRow("half the smallest subnormal ties to zero") << std::ldexp(1.0f, -25) << 0x0000;
    QTest::newRow("1.5 subnormal units tie to 2") << std::ldexp(3.0f, -25) << 0x0002;
    QTest::newRow("largest subnormal") << std::ldexp(1023.0f, -24) << 0x03FF;
    QTest::newRow("smallest normal") << std::ldexp(1.0f, -14) << 0x0400;
    QTest::newRow("tie at 1 goes to even") << 1.0f + std::ldexp(1.0f, -11) << 0x3C00;
    QTest::newRow("tie at 1+ulp goes up to even") << 1.0f + 3.0f * std::ldexp(1.0f, -11) << 0x3C02;
    QTest::newRow("just above the tie") << 1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20) << 0x3C01;
    QTest::newRow("mantissa carry into exponent") << 2.0f - std::ldexp(1.0f, -12) << 0x4000;
    QTest::newRow("negative zero") << -0.0f << 0x8000;
}

void TestHalfFloat::floatToHalfRounding()
{
    QFETCH(float, value);
    QFETCH(int, bits);
    QCOMPARE(int(bg::floatToHalf(value)), bits);
}

void TestHalfFloat::halfRoundTripsEveryPattern()
{
    for (uint32_t h = 0; h <= 0xFFFF; ++h) {
        const float f = bg::halfToFloat(static_cast<uint16_t>(h));
        if (std::isnan(f)) {
            QVERIFY(std::isnan(bg::halfToFloat(bg::floatToHalf(f))));
            continue;
        }
        QCOMPARE(int(bg::floatToHalf(f)), int(h));
    }
}

void TestHalfFloat::bfloat16()
{
    QCOMPARE(bg::bfloat16ToFloat(0x3F80), 1.0f);
    QCOMPARE(bg::bfloat16ToFloat(0xC040), -3.0f);
    QCOMPARE(bg::bfloat16ToFloat(0x0001), std::ldexp(1.0f, -133));
    QCOMPARE(int(bg::floatToBfloat16(1.0f)), 0x3F80);
    QCOMPARE(int(bg::floatToBfloat16(1.0f + std::ldexp(1.0f, -8))), 0x3F80);        // tie to even
    QCOMPARE(int(bg::floatToBfloat16(1.0f + 3.0f * std::ldexp(1.0f, -8))), 0x3F82);  // tie to even (up)
    // Largest bfloat16 is (2 - 2^-7) * 2^127 ~ 3.3895e38; above the midpoint to 2^128 it rounds to inf.
    QCOMPARE(int(bg::floatToBfloat16(std::ldexp(255.0f, 120))), 0x7F7F);
    QCOMPARE(int(bg::floatToBfloat16(3.4e38f)), 0x7F80);
    QVERIFY(std::isnan(bg::bfloat16ToFloat(bg::floatToBfloat16(std::numeric_limits<float>::quiet_NaN()))));
    for (uint32_t b = 0; b <= 0xFFFF; ++b) {
        const float f = bg::bfloat16ToFloat(static_cast<uint16_t>(b));
        if (!std::isnan(f))
            QCOMPARE(int(bg::floatToBfloat16(f)), int(b));
    }
}

QTEST_APPLESS_MAIN(TestHalfFloat)
#include "tst_half_float.moc"
