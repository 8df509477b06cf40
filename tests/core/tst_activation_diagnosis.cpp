// The activation-range diagnosis and the first collapse (issue 13) on synthetic models built here:
//   x [1,C,H,W] -> "copy" (depthwise 1x1 conv, weight 1) -> t -> "dw" (depthwise 1x1 conv) -> BN -> y
// Channel c of x is scale_c·(offset + v), v uniform in [-1, 1]; channel 0 is the outlier (scale R),
// the others scale 1. The BN rescales every channel to the same output (y_c = v·gamma), so the
// outlier model and the balanced one (every scale 1) compute the same y; only the shared scale of
// t differs. The 1-weight depthwise layers are exact at 8 bits, so the loss of "dw" alone between
// the two models is what the shared scale of its input costs — which the diagnosis estimates.
#include "analysis/activation_diagnosis.h"
#include "arithmetic/shared_scale_cost.h"
#include "calibration/calibrator.h"
#include "comparison/first_collapse.h"
#include "comparison/model_comparison.h"
#include "export/comparison_json.h"
#include "export/onnx_builder.h"
#include "folding/model_structure.h"
#include "io/json_reader.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cmath>

namespace {

constexpr int64_t kC = 8, kH = 16, kW = 16;
constexpr size_t kSamples = 4;

struct Case {
    double outlierScale;  // R
    double offset;        // the channels' DC, removed by the BN
};

std::shared_ptr<const bg::ModelStructure> model(const Case& k)
{
    bg::OnnxBuilder b(13);
    b.input("x", {1, kC, kH, kW}).output("y");
    auto per = [](double v0, double rest) {
        std::vector<float> v(kC, static_cast<float>(rest));
        v[0] = static_cast<float>(v0);
        return bg::Tensor({kC}, v);
    };
    b.initializer("w1", bg::Tensor({kC, 1, 1, 1}, std::vector<float>(kC, 1.0f)));
    b.initializer("w2", bg::Tensor({kC, 1, 1, 1}, std::vector<float>(kC, 1.0f)));
    // BN: mean = scale·offset, var = scale² (x's v has unit half-range), gamma 2, beta 0.
    b.initializer("gamma", per(2.0, 2.0)).initializer("beta", per(0.0, 0.0));
    b.initializer("mean", per(k.outlierScale * k.offset, k.offset));
    b.initializer("var", per(k.outlierScale * k.outlierScale, 1.0));
    b.node("Conv", {"x", "w1"}, {"t"}, {{"group", kC}}, "copy");
    b.node("Conv", {"t", "w2"}, {"z"}, {{"group", kC}}, "dw");
    b.node("BatchNormalization", {"z", "gamma", "beta", "mean", "var"}, {"y"}, {{"epsilon", 0.0f}}, "bn");
    return bg::makeModelStructure(bg::loadModelFromBytes(b.serialize(), "synthetic.onnx"));
}

class Samples : public bg::CalibrationSource {
public:
    explicit Samples(const Case& k) : k_(k) {}
    size_t count() const override { return kSamples; }
    std::map<std::string, bg::Tensor> sample(size_t i) override
    {
        std::vector<float> x(static_cast<size_t>(kC * kH * kW));
        uint32_t state = 12345u + static_cast<uint32_t>(i) * 7919u;  // the same v in both models
        for (size_t e = 0; e < x.size(); ++e) {
            state = state * 1664525u + 1013904223u;
            const double v = static_cast<double>(state >> 8) / static_cast<double>(1u << 24) * 2.0 - 1.0;
            const double scale = e < static_cast<size_t>(kH * kW) ? k_.outlierScale : 1.0;
            x[e] = static_cast<float>(scale * (k_.offset + v));
        }
        return {{"x", bg::Tensor({1, kC, kH, kW}, x)}};
    }
    std::string description() const override { return "synthetic"; }

private:
    Case k_;
};

struct Run {
    std::vector<bg::TensorRangeDiagnosis> diagnosis;
    bg::ModelComparison comparison;
};

Run run(const Case& k)
{
    const auto m = model(k);
    Samples source(k);
    const bg::RangeTable ranges = bg::calibrate(m->graph, m->pairs, source);
    bg::QuantSettings s;
    s.weightBits = 8;
    s.biasBits = 32;
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m->graph, m->pairs, s, ranges);
    Run r{bg::diagnoseActivationRanges(*m, ranges, s.activationBits), {}};
    r.comparison = bg::compareModel(*m, ranges, analysis, source, bg::ComparisonOptions{});
    return r;
}

const bg::TensorRangeDiagnosis& tensor(const Run& r, const std::string& name)
{
    for (const auto& d : r.diagnosis)
        if (d.tensor == name)
            return d;
    qFatal("tensor %s not diagnosed", name.c_str());
}

const bg::LayerComparison& layer(const Run& r, const std::string& name)
{
    for (const auto& l : r.comparison.layers)
        if (l.name == name)
            return l;
    qFatal("layer %s not compared", name.c_str());
}

} // namespace

class TestActivationDiagnosis : public QObject {
    Q_OBJECT
private slots:
    void costFormula_data()
    {
        QTest::addColumn<double>("outlier");   // the outlier channel's span over the others' (R)
        QTest::addColumn<double>("gain");      // the consumer's noise gain of the outlier channel
        QTest::addColumn<double>("expected");
        // Four channels: with gain 1/R² (a BN that scales the outlier back) the cost is
        // 10·log10(((C−1)·R² + 1)/C); with equal gains 10·log10(C·R² / (C − 1 + R²)).
        for (double r : {1.0, 2.0, 10.0}) {
            QTest::newRow(qPrintable(QString("R %1, rescaled").arg(r))) << r << 1.0 / (r * r)
                                                                       << 10.0 * std::log10((3.0 * r * r + 1.0) / 4.0);
            QTest::newRow(qPrintable(QString("R %1, equal gains").arg(r))) << r << 1.0
                                                                          << 10.0 * std::log10(4.0 * r * r / (3.0 + r * r));
        }
    }
    void costFormula()
    {
        QFETCH(double, outlier);
        QFETCH(double, gain);
        QFETCH(double, expected);
        // Channels on [0, 1] (the outlier on [0, R]), power large enough for no cap.
        std::vector<bg::ChannelSignal> ch(4, bg::ChannelSignal{0.0, 1.0, 0.3, 1.0});
        ch[0] = bg::ChannelSignal{0.0, outlier, 0.3 * outlier * outlier, gain};
        // 1e-5 dB: §4's scales are float32 values (QUANT_SPEC notes), a relative 6e-8 off the ratio.
        QVERIFY(std::fabs(bg::sharedScaleCostDb(ch, 0.0, outlier, 8) - expected) < 1e-5);
        // Only the outlier read (the others' gain 0): it is rounded at its own scale either way.
        for (size_t c = 1; c < ch.size(); ++c)
            ch[c].noiseGain = 0.0;
        QVERIFY(std::fabs(bg::sharedScaleCostDb(ch, 0.0, outlier, 8)) < 1e-9);
        // A channel whose power is below the shared step's noise loses its power, no more (the cap).
        std::vector<bg::ChannelSignal> faint{{0.0, outlier, 0.3 * outlier * outlier, 1.0}, {0.0, 1e-6, 1e-12, 1.0}};
        const double noise = bg::roundingNoisePower(outlier / 255.0);
        const double own = bg::roundingNoisePower(outlier / 255.0) + bg::roundingNoisePower(1e-6 / 255.0);
        QVERIFY(std::fabs(bg::sharedScaleCostDb(faint, 0.0, outlier, 8) - 10.0 * std::log10((noise + 1e-12) / own)) < 1e-9);
    }

    void medianSpan()
    {
        QCOMPARE(bg::medianChannelSpan({0, 0, 0}, {1, 5, 2}), 2.0);
        QCOMPARE(bg::medianChannelSpan({0, 0, 0, 0}, {1, 5, 2, 3}), 2.5);
        QCOMPARE(bg::medianChannelSpan({}, {}), 0.0);
    }

    void outlierIsFlaggedAndTheCostIsMeasured()
    {
        // offset 9: the BN removes a DC nine times v's half-range, so y is rounded much finer than t
        // and the output's own rounding does not blur the measured loss.
        const Run outlier = run({10.0, 9.0});
        const Run balanced = run({1.0, 9.0});
        const bg::TensorRangeDiagnosis& d = tensor(outlier, "t");
        QCOMPARE(d.consumer, std::string("dw"));
        QCOMPARE(d.channels, kC);
        QVERIFY(d.weightedByConsumer);
        QVERIFY2(d.flagged(), qPrintable(QString::number(d.estCostDb)));
        QVERIFY(d.hi > 99.0 && d.hi <= 100.0);
        QVERIFY(d.medianChannelSpan > 1.9 && d.medianChannelSpan <= 2.0);
        QCOMPARE(d.ratio, (d.hi - d.lo) / d.medianChannelSpan);

        const bg::TensorRangeDiagnosis& b = tensor(balanced, "t");
        QVERIFY2(!b.flagged(), qPrintable(QString::number(b.estCostDb)));
        QVERIFY(b.estCostDb < 0.5);
        QVERIFY(b.ratio < 1.1);
        for (const auto& other : balanced.diagnosis)
            QVERIFY2(!other.flagged(), other.tensor.c_str());

        // The layer alone, fed each model's own float t: the balanced model is what per-channel
        // scales (or cross-layer equalization) would give; the difference is the shared scale's cost.
        const double measured = layer(balanced, "dw").isolatedFixed.sqnrDb - layer(outlier, "dw").isolatedFixed.sqnrDb;
        qInfo("estimated %.2f dB, measured %.2f dB", d.estCostDb, measured);
        QVERIFY2(std::fabs(d.estCostDb - measured) <= 1.0,
                 qPrintable(QString("estimated %1, measured %2").arg(d.estCostDb).arg(measured)));
    }

    void firstCollapseIsTheDepthwiseLayer()
    {
        // No DC: t's SQNR is its outlier channel's, y weighs every channel the same.
        const Run outlier = run({30.0, 0.0});
        const Run balanced = run({1.0, 0.0});
        QVERIFY(outlier.comparison.firstCollapse.has_value());
        const bg::FirstCollapse& fc = *outlier.comparison.firstCollapse;
        QCOMPARE(fc.layer, std::string("dw"));
        QCOMPARE(fc.inputTensor, std::string("t"));
        QCOMPARE(fc.sqnrInDb, layer(outlier, "copy").fixed.sqnrDb);
        QCOMPARE(fc.sqnrOutDb, layer(outlier, "dw").fixed.sqnrDb);
        QVERIFY(fc.sqnrInDb - fc.sqnrOutDb >= bg::kCollapseDropDb);
        QVERIFY2(!balanced.comparison.firstCollapse.has_value(),
                 qPrintable(QString("%1 -> %2 dB").arg(layer(balanced, "copy").fixed.sqnrDb).arg(layer(balanced, "dw").fixed.sqnrDb)));
        // "copy" reads the graph input: no measured input SQNR, never a candidate.
        QVERIFY(!bg::findFirstCollapse(*model({30.0, 0.0}), {-50.0}).has_value());

        // compare's JSON carries the diagnosis and the collapse under the keys.
        const bg::JsonValue root = bg::parseJson(bg::comparisonToJson(outlier.comparison, "synthetic.onnx"), "cmp");
        const bg::JsonValue* ad = root.find("activation_diagnosis");
        QVERIFY(ad);
        const bg::JsonValue& t0 = ad->find("tensors")->items().at(0);
        for (const char* key : {"tensor", "consumer", "range", "median_channel_span", "ratio", "est_cost_db"})
            QVERIFY2(t0.find(key), key);
        QCOMPARE(t0.find("range")->items().size(), size_t(2));
        QCOMPARE(t0.find("tensor")->string(), std::string("t"));  // worst first
        const bg::JsonValue* c = ad->find("first_collapse");
        QCOMPARE(c->find("layer")->string(), std::string("dw"));
        for (const char* key : {"input_tensor", "sqnr_in_db", "sqnr_out_db"})
            QVERIFY2(c->find(key), key);
        QVERIFY(bg::parseJson(bg::comparisonToJson(balanced.comparison, "b.onnx"), "b")
                    .find("activation_diagnosis")->find("first_collapse")->isNull());
    }
};

QTEST_GUILESS_MAIN(TestActivationDiagnosis)
#include "tst_activation_diagnosis.moc"
