// The fix plan: auto fill from a fold analysis, per-channel overrides, counts, JSON round trip and
// clear errors for bad files.
#include "analysis/fold_analysis.h"
#include "folding/fold_pair_finder.h"
#include "io/atomic_file.h"
#include "export/onnx_builder.h"
#include "fix/fix_plan.h"
#include "io/error.h"
#include "model/model_loader.h"

#include <QTemporaryDir>
#include <QtTest>

using bg::FixPlan;
using bg::Strategy;
using bg::Tensor;

namespace {

Tensor vec(std::vector<float> v)
{
    const auto n = static_cast<int64_t>(v.size());
    return Tensor({n}, std::move(v));
}

// Conv 1x1 (3 channels) + BN; channel 1 has gamma 1e-6 (out of range, constant over the range).
bg::FoldAnalysis tinyAnalysis(Strategy strategy)
{
    bg::OnnxBuilder b(13);
    b.input("x", {1, 2, 3, 3}).output("y");
    b.initializer("W", Tensor({3, 2, 1, 1}, std::vector<float>{0.5f, -0.25f, 1.0f, 0.5f, -0.75f, 0.25f}));
    b.initializer("B", vec({0.1f, 0.0f, -0.2f}));
    b.initializer("g", vec({1.0f, 1e-6f, 0.5f})).initializer("beta", vec({0.2f, 0.7f, -0.1f}));
    b.initializer("mu", vec({0.05f, 3.0f, 0.0f})).initializer("v", vec({1.0f, 1.0f, 0.25f}));
    b.node("Conv", {"x", "W", "B"}, {"z"}, {}, "conv1");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"y"}, {}, "bn1");
    const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "tiny.onnx");
    bg::RangeTable r;
    r["x"] = {-1.0, 1.0, false, 1};
    r["z"] = {-2.0, 2.0, false, 1};
    r["y"] = {-1.0, 2.0, false, 1};
    bg::QuantSettings s;
    s.strategy = strategy;
    return bg::analyzeFolds(g, bg::findFoldPairs(g), s, r);
}

void expectErrorNaming(const std::string& path, const std::string& fragment)
{
    try {
        (void)FixPlan::load(path);
        QFAIL("expected an error");
    } catch (const bg::Error& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(path) != std::string::npos, what.c_str());
        QVERIFY2(what.find(fragment) != std::string::npos, what.c_str());
    }
}

} // namespace

class TestFixPlan : public QObject {
    Q_OBJECT
private slots:
    void autoFill()
    {
        const bg::FoldAnalysis a = tinyAnalysis(Strategy::Auto);
        const FixPlan plan = FixPlan::fromAnalysis(a);
        QCOMPARE(plan.size(), size_t(3));
        QVERIFY(plan.strategyFor("conv1", 0) == Strategy::Clamp);
        QVERIFY(plan.strategyFor("conv1", 1) == Strategy::Constant);
        QVERIFY(plan.strategyFor("conv1", 2) == Strategy::Clamp);
        const auto counts = plan.counts(a);
        QCOMPARE(counts.at(Strategy::Clamp), int64_t(2));
        QCOMPARE(counts.at(Strategy::Constant), int64_t(1));
        QCOMPARE(counts.at(Strategy::Separate), int64_t(0));
    }

    void fillWithAFixedStrategy()
    {
        const FixPlan plan = FixPlan::fromAnalysis(tinyAnalysis(Strategy::Separate));
        QCOMPARE(plan.entryCounts().at(Strategy::Separate), int64_t(3));
        QVERIFY(plan.defaultStrategy() == Strategy::Separate);
    }

    void overrideAndDefault()
    {
        const bg::FoldAnalysis a = tinyAnalysis(Strategy::Auto);
        FixPlan plan = FixPlan::fromAnalysis(a);
        const FixPlan before = plan;  // a value: copies are independent (undo stack)
        plan.set("conv1", 1, Strategy::Separate);
        QVERIFY(plan.strategyFor("conv1", 1) == Strategy::Separate);
        QVERIFY(before.strategyFor("conv1", 1) == Strategy::Constant);
        QVERIFY(!(plan == before));
        QCOMPARE(plan.counts(a).at(Strategy::Separate), int64_t(1));
        // No entry: the default; Auto entries resolve through the analysis in counts().
        QVERIFY(plan.strategyFor("other", 0) == Strategy::Auto);
        plan.erase("conv1", 1);
        QCOMPARE(plan.counts(a).at(Strategy::Constant), int64_t(1));  // default auto -> constant
        plan.setLayer("conv1", 3, Strategy::Widen);
        QCOMPARE(plan.counts(a).at(Strategy::Widen), int64_t(3));
    }

    void jsonRoundTrip()
    {
        FixPlan plan = FixPlan::fromAnalysis(tinyAnalysis(Strategy::Auto));
        plan.set("conv1", 2, Strategy::Widen);
        plan.set("layer \"quoted\" \xc3\xa9", 7, Strategy::Separate);
        plan.setDefaultStrategy(Strategy::Clamp);
        QTemporaryDir dir;
        const std::string path = dir.filePath("plan.json").toStdString();
        plan.save(path);
        const FixPlan back = FixPlan::load(path);
        QVERIFY(back == plan);
        QVERIFY(back.strategyFor("layer \"quoted\" \xc3\xa9", 7) == Strategy::Separate);
        QVERIFY(back.defaultStrategy() == Strategy::Clamp);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not json") << "{ \"format\": " << "line 1";
        QTest::newRow("garbage") << "hello" << "not valid JSON";
        QTest::newRow("wrong format") << R"({"format": "x", "version": 1, "layers": []})" << "format";
        QTest::newRow("bad strategy")
            << R"({"format": "biasguard-fix-plan", "version": 1, "layers": [{"name": "c", "channels": [{"channel": 0, "strategy": "magic"}]}]})"
            << "magic";
        QTest::newRow("negative channel")
            << R"({"format": "biasguard-fix-plan", "version": 1, "layers": [{"name": "c", "channels": [{"channel": -1, "strategy": "clamp"}]}]})"
            << "channel";
        QTest::newRow("duplicate channel")
            << R"({"format": "biasguard-fix-plan", "version": 1, "layers": [{"name": "c", "channels": [{"channel": 0, "strategy": "clamp"}, {"channel": 0, "strategy": "widen"}]}]})"
            << "twice";
        QTest::newRow("trailing text") << R"({"format": "biasguard-fix-plan", "version": 1, "layers": []} x)" << "after";
    }
    void badFiles()
    {
        QFETCH(QString, content);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.json").toStdString();
        bg::writeFileAtomically(path, content.toStdString());
        expectErrorNaming(path, fragment.toStdString());
    }

    void resolvedPerPair()
    {
        // Auto resolves through the analysis (channel 1 is constant there); an entry wins.
        const bg::FoldAnalysis a = tinyAnalysis(Strategy::Auto);
        FixPlan plan;  // default auto
        plan.set("conv1", 2, Strategy::Widen);
        const auto per = plan.resolvedPerPair(a);
        QCOMPARE(per.size(), size_t(1));
        QVERIFY((per[0] == std::vector<Strategy>{Strategy::Clamp, Strategy::Constant, Strategy::Widen}));
        QVERIFY(plan.resolved(a.layers[0], a.layers[0].channels[1]) == Strategy::Constant);
    }

    void entriesMustNameTheModelsChannels()
    {
        const std::map<std::string, int64_t> layers{{"conv1", 3}, {"fc", 10}};
        FixPlan ok;
        ok.set("conv1", 2, Strategy::Clamp);
        ok.set("fc", 0, Strategy::Widen);
        ok.checkAgainst(layers);  // no throw

        FixPlan typo = ok;
        typo.set("conv_1", 0, Strategy::Separate);
        typo.set("conv_1", 1, Strategy::Separate);
        typo.set("conv1", 3, Strategy::Separate);
        try {
            typo.checkAgainst(layers);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            const std::string m = e.what();
            QVERIFY(e.code() == bg::ErrorCode::BadInput);
            QVERIFY2(m.rfind("fix plan: ", 0) == 0, m.c_str());  // built in memory: no file to name
            QVERIFY2(m.find("'conv_1' is not a") != std::string::npos, m.c_str());
            QVERIFY2(m.find("'conv1' has 3 output channels, not channel 3") != std::string::npos, m.c_str());
            QCOMPARE(m.find("conv_1"), m.rfind("conv_1"));  // one line for the unknown layer
        }

        // Loaded from a file: the message names the file; origin is not part of the value.
        QTemporaryDir dir;
        const std::string path = dir.filePath("typo.json").toStdString();
        typo.save(path);
        const FixPlan loaded = FixPlan::load(path);
        QVERIFY(loaded == typo);
        QCOMPARE(loaded.origin(), path);
        try {
            loaded.checkAgainst(layers);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QCOMPARE(e.subject(), path);
        }
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("nope.json").toStdString();
        try {
            (void)FixPlan::load(path);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(e.code() == bg::ErrorCode::FileNotFound);
            QVERIFY(std::string(e.what()).find(path) != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestFixPlan)
#include "tst_fix_plan.moc"
