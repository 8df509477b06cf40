// Numbers a trained model should never hold but a file can: NaN and infinite weights or
// BatchNormalization parameters, a negative variance, gamma = 0 with var + epsilon = 0, a
// zero-size kernel. The analysis reports the channel with the reason (ChannelAnalysis::note, the
// analysis JSON's "note"; SPEC_NOTES "Numeric notes"), its healthy neighbour has no such note, and
// the integer pipeline and the comparison run to the end on it (no crash, no hang, no exception
// other than bg::Error).
#include "analysis/fold_analysis.h"
#include "calibration/calibrator.h"
#include "comparison/model_comparison.h"
#include "export/analysis_json.h"
#include "export/onnx_builder.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "integer/integer_runtime.h"
#include "io/error.h"
#include "io/json_reader.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cmath>
#include <limits>

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// One fixed sample: numbers in [-1, 1] over x's shape.
class OneSample : public bg::CalibrationSource {
public:
    explicit OneSample(bg::Shape shape) : shape_(std::move(shape)) {}
    size_t count() const override { return 1; }
    std::map<std::string, bg::Tensor> sample(size_t) override
    {
        const auto n = static_cast<size_t>(bg::shapeNumel(shape_));
        std::vector<float> v(n);
        for (size_t k = 0; k < n; ++k)
            v[k] = static_cast<float>((k * 7919) % 2001) / 1000.0f - 1.0f;
        return {{"x", bg::Tensor(shape_, std::move(v))}};
    }
    std::string description() const override { return "one sample"; }

private:
    bg::Shape shape_;
};

struct Params {
    int64_t inChannels = 3;
    std::vector<float> w1;  // channel 1's weights (channel 0: 0.1 everywhere)
    float bias1 = 0.5f, gamma1 = 1.0f, beta1 = 0.25f, mean1 = 0.0f, var1 = 1.0f;
    float epsilon = 1e-5f;
};

// x[1,Cin,6,6] -> Conv 3x3 (Cin -> 2, bias) -> BatchNorm -> Relu -> y; channel 1 carries the case.
std::string model(const Params& p)
{
    const int64_t k = p.inChannels * 9;
    std::vector<float> w(static_cast<size_t>(2 * k), 0.1f);
    for (size_t i = 0; i < p.w1.size() && i < static_cast<size_t>(k); ++i)
        w[static_cast<size_t>(k) + i] = p.w1[i];
    auto vec = [](float a, float b) { return bg::Tensor(bg::Shape{2}, std::vector<float>{a, b}); };
    bg::OnnxBuilder b;
    b.input("x", {1, p.inChannels, 6, 6}).output("y");
    b.initializer("w", bg::Tensor(bg::Shape{2, p.inChannels, 3, 3}, w));
    b.initializer("b", vec(0.5f, p.bias1));
    b.initializer("gamma", vec(1.0f, p.gamma1));
    b.initializer("beta", vec(0.25f, p.beta1));
    b.initializer("mean", vec(0.0f, p.mean1));
    b.initializer("var", vec(1.0f, p.var1));
    b.node("Conv", {"x", "w", "b"}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    b.node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"bn"}, {{"epsilon", p.epsilon}}, "bn");
    b.node("Relu", {"bn"}, {"y"}, {}, "relu");
    return b.serialize();
}

} // namespace

class TestNumericHostility : public QObject {
    Q_OBJECT

private slots:
    void channelNoted_data();
    void channelNoted();
};

void TestNumericHostility::channelNoted_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("note");
    QTest::newRow("weight NaN") << "weight_nan" << "1 of its 27 weights are NaN";
    QTest::newRow("weight +inf") << "weight_inf" << "2 of its 27 weights are infinite";
    QTest::newRow("bias NaN") << "bias_nan" << "the bias is NaN";
    QTest::newRow("gamma NaN") << "gamma_nan" << "BatchNormalization's scale (gamma) is NaN";
    QTest::newRow("beta -inf") << "beta_inf" << "BatchNormalization's B (beta) is -inf";
    QTest::newRow("mean +inf") << "mean_inf" << "BatchNormalization's mean is +inf";
    QTest::newRow("var NaN") << "var_nan" << "BatchNormalization's var is NaN";
    QTest::newRow("var < 0") << "var_negative" << "var is negative (-2), so sigma = sqrt(var + epsilon) is not a number";
    QTest::newRow("var < 0, var + eps > 0") << "var_negative_small" << "var is negative (-5e-06)";
    QTest::newRow("gamma 0, var 0, eps 0") << "gamma0_var0" << "the fold factor gamma/sigma is 0/0 (undefined)";
    QTest::newRow("var 0, eps 0") << "var0" << "the fold factor gamma/sigma is infinite";
    QTest::newRow("zero-size kernel") << "zero_size" << "weight of Conv 'conv' is empty (shape [2,0,3,3])";
}

void TestNumericHostility::channelNoted()
{
    QFETCH(QString, kind);
    QFETCH(QString, note);
    Params p;
    if (kind == "weight_nan") p.w1 = {0.1f, kNaN};
    else if (kind == "weight_inf") p.w1 = {kInf, 0.1f, -kInf};
    else if (kind == "bias_nan") p.bias1 = kNaN;
    else if (kind == "gamma_nan") p.gamma1 = kNaN;
    else if (kind == "beta_inf") p.beta1 = -kInf;
    else if (kind == "mean_inf") p.mean1 = kInf;
    else if (kind == "var_nan") p.var1 = kNaN;
    else if (kind == "var_negative") p.var1 = -2.0f;
    else if (kind == "var_negative_small") p.var1 = -5e-6f;
    else if (kind == "gamma0_var0") { p.gamma1 = 0.0f; p.var1 = 0.0f; p.epsilon = 0.0f; }
    else if (kind == "var0") { p.var1 = 0.0f; p.epsilon = 0.0f; }
    else if (kind == "zero_size") p.inChannels = 0;
    const std::string path = "numeric_" + kind.toStdString() + ".onnx";
    const auto structure = bg::makeModelStructure(bg::loadModelFromBytes(model(p), path));
    const bg::Graph& graph = structure->graph;
    OneSample source({1, p.inChannels, 6, 6});
    if (kind == "zero_size") {
        // A kernel of zero input channels is no layer to fold: the BN is reported standalone with
        // the reason, and the model still calibrates and runs in integers (the BN in float).
        QCOMPARE(structure->pairs.pairs.size(), size_t{0});
        QCOMPARE(structure->pairs.standalone.size(), size_t{1});
        QVERIFY2(QString::fromStdString(structure->pairs.standalone[0].reason).contains(note),
                 structure->pairs.standalone[0].reason.c_str());
        const bg::RangeTable ranges = bg::calibrate(graph, structure->pairs, source);
        const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, structure->pairs, bg::QuantSettings{}, ranges);
        const bg::IntegerRuntime rt(*structure, ranges, analysis, bg::FixPlan(bg::Strategy::Auto));
        QCOMPARE(rt.run(source.sample(0)).outputs.at("y").shape(), (bg::Shape{1, 2, 6, 6}));
        return;
    }
    QCOMPARE(structure->pairs.pairs.size(), size_t{1});

    const bg::RangeTable ranges = bg::calibrate(graph, structure->pairs, source);
    const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, structure->pairs, bg::QuantSettings{}, ranges);
    const auto& channels = analysis.layers.at(0).channels;
    QCOMPARE(channels.size(), size_t{2});
    QVERIFY2(QString::fromStdString(channels[1].note).contains(note), channels[1].note.c_str());
    const QString healthy = QString::fromStdString(channels[0].note);
    QVERIFY2(!healthy.contains("NaN") && !healthy.contains("inf") && !healthy.contains("negative")
                 && !healthy.contains("sigma") && !healthy.contains("no weights"),
             qPrintable(healthy));

    // The JSON carries the note on the channel.
    const bg::JsonValue json = bg::parseJson(bg::analysisToJson(analysis), "analysis.json");
    const bg::JsonValue* layers = json.find("layers");
    QVERIFY(layers && layers->items().size() == 1);
    const bg::JsonValue* jchannels = layers->items()[0].find("channels");
    QVERIFY(jchannels && jchannels->items().size() == 2);
    const bg::JsonValue* jnote = jchannels->items()[1].find("note");
    QVERIFY(jnote && jnote->isString());
    QVERIFY2(QString::fromStdString(jnote->string()).contains(note), jnote->string().c_str());

    // The integer pipeline with every strategy and the comparison run to the end.
    for (bg::Strategy s : {bg::Strategy::Clamp, bg::Strategy::Separate, bg::Strategy::Constant, bg::Strategy::Widen,
                           bg::Strategy::Auto}) {
        const bg::IntegerRuntime rt(*structure, ranges, analysis, bg::FixPlan(s));
        const bg::IntegerRunResult r = rt.run(source.sample(0));
        QCOMPARE(r.outputs.at("y").shape(), (bg::Shape{1, 2, 6, 6}));
    }
    bg::ComparisonOptions options;
    const bg::ModelComparison c = bg::compareModel(*structure, ranges, analysis, source, options);
    QCOMPARE(c.samples, size_t{1});
}

QTEST_GUILESS_MAIN(TestNumericHostility)
#include "tst_numeric_hostility.moc"
