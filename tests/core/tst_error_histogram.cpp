// The comparison's error histogram: octave bins of |ref − x|, filled by MetricAccumulator for every
// element it compares, and biasRegisters (the "after the fix" bits) against the backend's rules.
#include "analysis/bias_registers.h"
#include "arithmetic/quant_math.h"
#include "comparison/error_histogram.h"
#include "comparison/metric_accumulator.h"

#include <QtTest>

#include <cmath>
#include <limits>

class TestErrorHistogram : public QObject {
    Q_OBJECT
private slots:
    void binOfError_data()
    {
        QTest::addColumn<double>("error");
        QTest::addColumn<int>("bin");  // -1: exact, -2: non-finite
        using H = bg::ErrorHistogram;
        QTest::newRow("zero") << 0.0 << -1;
        QTest::newRow("one") << 1.0 << -H::kMinExponent;
        QTest::newRow("just below one") << 0.999 << -H::kMinExponent - 1;
        QTest::newRow("three") << 3.0 << -H::kMinExponent + 1;
        QTest::newRow("one eighth") << 0.125 << -H::kMinExponent - 3;
        QTest::newRow("tiny goes to the first bin") << 1e-300 << 0;
        QTest::newRow("huge goes to the last bin") << 1e300 << H::kBins - 1;
        QTest::newRow("inf") << std::numeric_limits<double>::infinity() << -2;
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << -2;
    }
    void binOfError()
    {
        QFETCH(double, error);
        QFETCH(int, bin);
        bg::ErrorHistogram h;
        h.add(error);
        QCOMPARE(h.total(), int64_t(1));
        QCOMPARE(h.exact(), int64_t(bin == -1));
        QCOMPARE(h.nonFinite(), int64_t(bin == -2));
        for (int i = 0; i < bg::ErrorHistogram::kBins; ++i)
            QCOMPARE(h.bin(i), int64_t(i == bin));
        if (bin >= 0 && std::isfinite(error) && error > bg::ErrorHistogram::lowerEdge(0)
            && error < bg::ErrorHistogram::upperEdge(bg::ErrorHistogram::kBins - 1)) {
            QVERIFY(bg::ErrorHistogram::lowerEdge(bin) <= error);
            QVERIFY(error < bg::ErrorHistogram::upperEdge(bin));
        }
    }

    // Every element the accumulator compares lands in the histogram of its metrics, across samples.
    void accumulatorFillsTheHistogram()
    {
        bg::MetricAccumulator acc;
        const bg::Tensor ref = bg::Tensor({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
        const bg::Tensor x = bg::Tensor({2, 3}, std::vector<float>{1, 2.5f, 3, 4, 5, 10});
        acc.add(ref, x);
        acc.add(ref, ref);
        const bg::ComparisonMetrics m = acc.metrics();
        QCOMPARE(m.errors.total(), m.count);
        QCOMPARE(m.errors.exact(), int64_t(10));
        QCOMPARE(m.errors.bin(-1 - bg::ErrorHistogram::kMinExponent), int64_t(1));  // 0.5
        QCOMPARE(m.errors.bin(2 - bg::ErrorHistogram::kMinExponent), int64_t(1));   // 4
    }

    // The registers each strategy loads, and their bits, for one overflowing channel.
    void biasRegistersPerStrategy()
    {
        bg::QuantSettings s;
        s.biasBits = 8;
        bg::LayerAnalysis layer;
        layer.inputScale = 0.5;
        layer.outputScale = 0.25;
        bg::ChannelAnalysis c;
        c.biasFloat = 100.0;
        c.weightScale = 0.01;
        c.biasInt = std::round(c.biasFloat / (c.weightScale * layer.inputScale));  // 20000: 16 bits
        c.bits = bg::bitsNeeded(c.biasInt);
        c.splitPre = 3;
        c.splitPost = -100;
        c.strategy = bg::Strategy::Separate;
        QCOMPARE(c.bits, 16);

        const auto clamp = bg::biasRegisters(layer, c, bg::Strategy::Clamp, s);
        QCOMPARE(clamp.pre, 20000.0);
        QVERIFY(!clamp.usesPost);
        QCOMPARE(clamp.bits, 16);
        const auto separate = bg::biasRegisters(layer, c, bg::Strategy::Separate, s);
        QCOMPARE(separate.pre, 3.0);
        QCOMPARE(separate.post, -100.0);
        QCOMPARE(separate.bits, 8);  // −100 needs 8 bits
        QCOMPARE(bg::biasRegisters(layer, c, bg::Strategy::Auto, s).bits, separate.bits);
        const auto constant = bg::biasRegisters(layer, c, bg::Strategy::Constant, s);
        QCOMPARE(constant.post, 400.0);  // b'/s_y
        QCOMPARE(constant.bits, 10);
        // Widen raises s_w until q_b fits the 8-bit register: at most 127.
        const auto widen = bg::biasRegisters(layer, c, bg::Strategy::Widen, s);
        QVERIFY(std::fabs(widen.pre) <= 127);
        QCOMPARE(widen.bits, 8);
    }
};

QTEST_GUILESS_MAIN(TestErrorHistogram)
#include "tst_error_histogram.moc"
