// quantizeActivation (integer/activation_quantizer.cpp) rounds by integer conversion and runs split
// across threads; ActivationQuant::quantize is §4's formula as written. They must give the same
// code for every float: exact ties (x / s = k + 1/2), values at and beyond both ends of the code
// range, ±inf, NaN, denormals, and random values at several scales, zero points and bit widths.
// A scale with an inexact reciprocal guards against replacing the division by a multiplication
// without a fallback at ties (the vector path multiplies, and divides near ties). Each vector width
// the CPU has (SSE2, AVX2) is compared on its own.
#include "integer/activation_quantizer.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace {

// Every value that tends to break a rounding shortcut, for this quantizer.
std::vector<float> hardValues(const bg::ActivationQuant& q)
{
    std::vector<float> v{0.0f, -0.0f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                         -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                         std::numeric_limits<float>::lowest(), 1e30f, -1e30f};
    const int64_t qmax = bg::activationQmax(q.bits);
    for (int64_t k = -q.zeroPoint - 3; k <= qmax - q.zeroPoint + 3; ++k)
        for (double d : {-0.5, -0.25, 0.0, 0.25, 0.5}) {
            const float x = static_cast<float>((static_cast<double>(k) + d) * q.scale);
            v.push_back(x);
            v.push_back(std::nextafter(x, std::numeric_limits<float>::infinity()));
            v.push_back(std::nextafter(x, -std::numeric_limits<float>::infinity()));
        }
    return v;
}

// The codes of ActivationCodec at one vector width, on the calling thread.
std::vector<uint8_t> codesAt(bg::ActivationCodec::Isa isa, const std::vector<float>& values, const bg::ActivationQuant& q)
{
    std::vector<uint8_t> codes(values.size());
    bg::ActivationCodec(q, isa).quantize(values.data(), static_cast<int64_t>(values.size()), codes.data());
    return codes;
}

// The widths this CPU runs: SSE2 always, AVX2 where it has it (quantizeActivation takes the widest).
std::vector<bg::ActivationCodec::Isa> widths()
{
    std::vector<bg::ActivationCodec::Isa> v{bg::ActivationCodec::Isa::Sse2};
    if (bg::ActivationCodec::bestIsa() == bg::ActivationCodec::Isa::Avx2)
        v.push_back(bg::ActivationCodec::Isa::Avx2);
    return v;
}

} // namespace

class TestActivationQuantizer : public QObject {
    Q_OBJECT
private slots:
    void equalsTheFormula_data()
    {
        QTest::addColumn<double>("scale");
        QTest::addColumn<int>("zeroPoint");
        QTest::addColumn<int>("bits");
        // Power-of-two scales make (k + 1/2) * s exact: real ties.
        QTest::newRow("s 1/4, zp 100, 8 bit (ties)") << 0.25 << 100 << 8;
        QTest::newRow("s 1/64, zp 0, 8 bit (ties, ReLU output)") << 1.0 / 64 << 0 << 8;
        // 503/256 makes (k + 1/2) * s exact while 1/s is not: a quantizer multiplying by 1/s instead
        // of dividing would round 234 of its 256 ties toward zero (found by search; for most scales
        // the product lands on the tie or beyond, and such a shortcut would pass unnoticed).
        QTest::newRow("s 503/256, zp 128, 8 bit (ties, inexact 1/s)") << 503.0 / 256 << 128 << 8;
        QTest::newRow("s 2/255, zp 128, 8 bit") << double(float(2.0 / 255)) << 128 << 8;
        QTest::newRow("s 1/255, zp 255, 8 bit") << double(float(1.0 / 255)) << 255 << 8;
        QTest::newRow("s 0.37, zp 5, 4 bit") << double(float(0.37)) << 5 << 4;
        QTest::newRow("s 1e-6, zp 1, 2 bit") << double(float(1e-6)) << 1 << 2;
        // Scales whose reciprocal a float32 cannot hold accurately (the vector path's guard).
        QTest::newRow("s 1e-40, zp 3, 8 bit (1/s beyond float32)") << 1e-40 << 3 << 8;
        QTest::newRow("s 1e39, zp 128, 8 bit (1/s below float32's normals)") << 1e39 << 128 << 8;
        QTest::newRow("s 3e-31, zp 7, 8 bit (1/s near the guard)") << 3e-31 << 7 << 8;
    }

    void equalsTheFormula()
    {
        QFETCH(double, scale);
        QFETCH(int, zeroPoint);
        QFETCH(int, bits);
        const bg::ActivationQuant q{.scale = scale, .zeroPoint = zeroPoint, .bits = bits};
        std::vector<float> values = hardValues(q);
        std::mt19937 gen(77);
        for (double spread : {1.0, 10.0, 300.0}) {
            std::uniform_real_distribution<double> dist(-spread * 256 * scale, spread * 256 * scale);
            for (int i = 0; i < 20000; ++i)
                values.push_back(static_cast<float>(dist(gen)));
        }
        // Enough elements that the loop is split across threads where there are several.
        const size_t distinct = values.size();
        values.reserve(size_t(3) << 20);
        for (size_t i = 0; values.size() < (size_t(3) << 20); ++i) {
            const float repeat = values[i % distinct];
            values.push_back(repeat);
        }
        const bg::Tensor x({static_cast<int64_t>(values.size())}, values);
        const bg::QuantActivation codes = bg::quantizeActivation(x, q);
        QCOMPARE(codes.values.size(), values.size());
        QCOMPARE(codes.zeroPoint, q.zeroPoint);
        int64_t mismatches = 0;
        QString first;
        for (size_t i = 0; i < values.size(); ++i) {
            const int64_t want = q.quantize(static_cast<double>(values[i]));
            if (codes.values[i] != want && mismatches++ == 0)
                first = QString("x = %1: %2, formula %3").arg(double(values[i]), 0, 'g', 17).arg(codes.values[i]).arg(want);
        }
        QVERIFY2(mismatches == 0, qPrintable(QString("%1 mismatches; first %2").arg(mismatches).arg(first)));
        // Every vector width gives those codes (the distinct values suffice: the rest repeat them).
        const std::vector<float> head(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(distinct));
        for (const bg::ActivationCodec::Isa isa : widths())
            QVERIFY(codesAt(isa, head, q) == std::vector<uint8_t>(codes.values.begin(), codes.values.begin() + static_cast<std::ptrdiff_t>(distinct)));
        // And dequantization: (q - zp) * s in double, rounded to float32.
        const bg::Tensor back = bg::dequantizeActivation(codes, q);
        for (size_t i = 0; i < values.size(); i += 997)
            QCOMPARE(back.floats()[i], static_cast<float>(q.dequantize(codes.values[i])));
    }

    // Dequantization of every code at every width, bit for bit: (q - zp) * s in double, rounded to
    // float32; lengths that leave a tail after the vector loop.
    void dequantizeEveryCode_data() { equalsTheFormula_data(); }

    void dequantizeEveryCode()
    {
        QFETCH(double, scale);
        QFETCH(int, zeroPoint);
        QFETCH(int, bits);
        const bg::ActivationQuant q{.scale = scale, .zeroPoint = zeroPoint, .bits = bits};
        std::vector<uint8_t> codes;
        for (int rep = 0; rep < 3; ++rep)
            for (int c = 0; c < 256; ++c)
                codes.push_back(static_cast<uint8_t>((c * 37 + rep) % 256));
        codes.resize(codes.size() - 5);
        for (const bg::ActivationCodec::Isa isa : widths()) {
            std::vector<float> out(codes.size());
            bg::ActivationCodec(q, isa).dequantize(codes.data(), static_cast<int64_t>(codes.size()), out.data());
            for (size_t i = 0; i < codes.size(); ++i) {
                const float want = static_cast<float>(q.dequantize(codes[i]));
                QVERIFY2(std::memcmp(&out[i], &want, sizeof(float)) == 0,
                         qPrintable(QString("code %1: %2, formula %3").arg(codes[i]).arg(double(out[i]), 0, 'g', 9).arg(double(want), 0, 'g', 9)));
            }
        }
    }

    // The vector path decides by a float32 product outside a window around each tie: many random
    // scales and zero points, with the floats nearest to every tie, against the formula.
    void nearTiesAtRandomScales()
    {
        std::mt19937 gen(2024);
        std::uniform_real_distribution<double> logScale(-30.0, 10.0);
        std::uniform_int_distribution<int> zpDist(0, 255);
        int64_t mismatches = 0;
        QString first;
        for (int trial = 0; trial < 400; ++trial) {
            const bg::ActivationQuant q{.scale = double(float(std::exp2(logScale(gen)))), .zeroPoint = zpDist(gen), .bits = 8};
            std::vector<float> values;
            for (int64_t k = -q.zeroPoint - 2; k <= 255 - q.zeroPoint + 2; ++k) {
                float x = static_cast<float>((static_cast<double>(k) + 0.5) * q.scale);
                for (int step = 0; step < 3; ++step)
                    x = std::nextafter(x, -std::numeric_limits<float>::infinity());
                for (int step = 0; step < 7; ++step, x = std::nextafter(x, std::numeric_limits<float>::infinity()))
                    values.push_back(x);
            }
            for (const bg::ActivationCodec::Isa isa : widths()) {
                const std::vector<uint8_t> codes = codesAt(isa, values, q);
                for (size_t i = 0; i < values.size(); ++i)
                    if (const int64_t want = q.quantize(double(values[i])); codes[i] != want && mismatches++ == 0)
                        first = QString("isa %6 s %1 zp %2 x %3: %4, formula %5").arg(q.scale, 0, 'g', 17).arg(q.zeroPoint)
                                    .arg(double(values[i]), 0, 'g', 17).arg(codes[i]).arg(want).arg(int(isa));
            }
        }
        QVERIFY2(mismatches == 0, qPrintable(QString("%1 mismatches; first %2").arg(mismatches).arg(first)));
    }
};

QTEST_GUILESS_MAIN(TestActivationQuantizer)
#include "tst_activation_quantizer.moc"
