// The synthetic calibration inputs (docs/SYNTHETIC_INPUTS.md) against an independent Python/NumPy
// implementation of that page, and the rules for sizing symbolic dimensions.
#include "io/error.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/synthetic_inputs.h"

#include <QtTest>

#include <cmath>

namespace {

bg::Dim dim(int64_t v, const std::string& param = {})
{
    bg::Dim d;
    d.value = v;
    d.param = param;
    return d;
}

bg::ValueInfo floatInput(const std::string& name, std::vector<bg::Dim> dims, int32_t elemType = 1)
{
    bg::ValueInfo v;
    v.name = name;
    v.elemType = elemType;
    v.hasShape = true;
    v.dims = std::move(dims);
    return v;
}

bg::Graph graphWith(std::vector<bg::ValueInfo> inputs)
{
    bg::Graph g;
    g.path = "synthetic-test";
    g.inputs = std::move(inputs);
    return g;
}

// Values as integer numerators over 2^23: every synthetic value is exactly k / 2^23.
std::vector<int64_t> numerators(std::span<const float> values, size_t first, size_t count)
{
    std::vector<int64_t> out;
    for (size_t k = first; k < first + count; ++k) {
        const double scaled = static_cast<double>(values[k]) * 8388608.0;
        out.push_back(static_cast<int64_t>(scaled));
        if (scaled != std::floor(scaled))
            out.back() = INT64_MIN;  // not on the 2^-23 grid: never equal to an expected value
    }
    return out;
}

} // namespace

class TestSyntheticInputs : public QObject {
    Q_OBJECT
private slots:
    // Expected numbers from the snippet in docs/SYNTHETIC_INPUTS.md, run once with
    //   /usr/bin/python3 (numpy 1.24.2):
    //   x, = synthetic_sample([(1, 3, 4, 4)], 0); [int(v * 2**23) for v in x.ravel()[:8]], x.ravel()[47]
    //   x1, = synthetic_sample([(1, 3, 4, 4)], 1); first 4
    //   a, b = synthetic_sample([(2,), (3,)], 7)
    void matchesPythonReference()
    {
        const bg::Graph g = graphWith({floatInput("x", {dim(1), dim(3), dim(4), dim(4)})});
        const auto s0 = bg::syntheticSample(g, 0);
        const bg::Tensor& x0 = s0.at("x");
        QCOMPARE(x0.shape(), (bg::Shape{1, 3, 4, 4}));
        QCOMPARE(numerators(x0.floats(), 0, 8),
                 (std::vector<int64_t>{2126053, 1472822, -7362419, -3922825, -1839484, 1149860, 2186925, -5550369}));
        QCOMPARE(numerators(x0.floats(), 47, 1), (std::vector<int64_t>{3762443}));
        QCOMPARE(x0.floats()[0], 0.25344526767730713f);

        const auto s1 = bg::syntheticSample(g, 1);
        QCOMPARE(numerators(s1.at("x").floats(), 0, 4), (std::vector<int64_t>{-4198170, 4836855, -6633914, -7873807}));
    }

    void inputsShareOneStreamInDeclarationOrder()
    {
        // Declaration order b-then-a differs from name order: the stream must follow declaration.
        const bg::Graph g = graphWith({floatInput("zfirst", {dim(2)}), floatInput("asecond", {dim(3)})});
        const auto s7 = bg::syntheticSample(g, 7);
        QCOMPARE(numerators(s7.at("zfirst").floats(), 0, 2), (std::vector<int64_t>{-2643668, -1958071}));
        QCOMPARE(numerators(s7.at("asecond").floats(), 0, 3), (std::vector<int64_t>{3970311, 2505713, -215261}));
    }

    void valuesStayInHalfOpenUnitInterval()
    {
        const bg::Graph g = graphWith({floatInput("x", {dim(1), dim(3), dim(64), dim(64)})});
        for (int i = 0; i < bg::kSyntheticSampleCount; ++i) {
            const auto s = bg::syntheticSample(g, i);
            float lo = 1.0f;
            float hi = -1.0f;
            for (float v : s.at("x").floats()) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            QVERIFY(lo >= -1.0f);
            QVERIFY(hi < 1.0f);
            QVERIFY(lo < -0.99f);  // 12288 uniform draws reach the ends
            QVERIFY(hi > 0.99f);
        }
    }

    void symbolicDimensions_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("defaults: batch 1, others 640") << QString() << qint64(0) << QList<qint64>{1, 3, 640, 640};
        QTest::newRow("by symbolic name") << QString("H") << qint64(480) << QList<qint64>{1, 3, 480, 640};
        QTest::newRow("by input:axis") << QString("x:3") << qint64(320) << QList<qint64>{1, 3, 640, 320};
        QTest::newRow("batch by name") << QString("N") << qint64(2) << QList<qint64>{2, 3, 640, 640};
    }
    void symbolicDimensions()
    {
        QFETCH(QString, override);
        QFETCH(qint64, value);
        QFETCH(QList<qint64>, shape);
        const bg::ValueInfo in = floatInput("x", {dim(-1, "N"), dim(3), dim(-1, "H"), dim(-1, "W")});
        bg::SyntheticShapeOptions options;
        if (!override.isEmpty())
            options.dimSizes[override.toStdString()] = value;
        const bg::Shape got = bg::syntheticInputShape(in, options);
        QCOMPARE(got, bg::Shape(shape.begin(), shape.end()));
    }

    void axisOverrideBeatsName()
    {
        const bg::ValueInfo in = floatInput("x", {dim(1), dim(-1, "H")});
        bg::SyntheticShapeOptions options;
        options.dimSizes["H"] = 5;
        options.dimSizes["x:1"] = 7;
        QCOMPARE(bg::syntheticInputShape(in, options), (bg::Shape{1, 7}));
    }

    void refusals_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("integer input") << 0;
        QTest::newRow("unknown rank") << 1;
        QTest::newRow("zero size") << 2;
        QTest::newRow("too many elements") << 3;
    }
    void refusals()
    {
        QFETCH(int, which);
        bg::ValueInfo in = floatInput("x", {dim(1), dim(-1, "L")});
        bg::SyntheticShapeOptions options;
        bg::ErrorCode expected = bg::ErrorCode::BadInput;
        switch (which) {
        case 0: in.elemType = 7; break;
        case 1: in.hasShape = false; in.dims.clear(); break;
        case 2: options.dimSizes["L"] = 0; break;
        default:
            options.dimSizes["L"] = int64_t{1} << 40;
            expected = bg::ErrorCode::TensorTooLarge;
            break;
        }
        const bg::Graph g = graphWith({in});
        try {
            bg::SyntheticCalibrationSource source(g, options);
            QFAIL("the source accepted an input it cannot generate");
        } catch (const bg::Error& e) {
            QCOMPARE(int(e.code()), int(expected));
            QVERIFY2(std::string(e.what()).find("'x'") != std::string::npos, e.what());
        }
    }

    void sourceIsDeterministicAndSamplesDiffer()
    {
        const bg::Graph g = graphWith({floatInput("x", {dim(-1, "N"), dim(8)})});
        bg::SyntheticCalibrationSource a(g);
        bg::SyntheticCalibrationSource b(g);
        QCOMPARE(a.count(), size_t(8));
        for (size_t i = 0; i < a.count(); ++i) {
            const auto va = a.sample(i).at("x").toFloatVector();
            QCOMPARE(va, b.sample(i).at("x").toFloatVector());
            if (i > 0)
                QVERIFY(va != a.sample(i - 1).at("x").toFloatVector());
        }
        QVERIFY(a.description().find("20241125") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(bg::Error, a.sample(8));
    }
};

QTEST_APPLESS_MAIN(TestSyntheticInputs)
#include "tst_synthetic_inputs.moc"
