// Auto's cost test (docs/SPEC_NOTES.md, "Auto never picks a remedy worse than the baseline"): a
// widened gamma separation is chosen only when its extra weight-rounding noise is below the error
// of the naive fold's saturated bias. Hand-computed with n_w = 4 (Q_w = 7), n_a = 8, n_b = 8
// (bias limit 127), x in [0, 255/64] (s_x = 1/64, RMS of a uniform spread = 255/64/sqrt(3)).
//
// One channel, K weights all 1, gamma 1, var 1, eps 0 (a = 1), mu = -3, beta = 0, no conv bias:
//   b' = 3, s_w = s_W = 1/7, B_c = 3·7·64 = 1344 (12 bits)  -> out of range
//   separated: q_pre = 1344 (12 bits), q_post = 0          -> separate needs widening
//   widened s_W' = 3 / (127/64) = 192/127
//   clamp error  = (1344 − 127)·(1/7)·(1/64) = 1217/448 = 2.7165
//   widen noise  = sqrt(K·(s_W'² − s_W²)/12)·(255/64)/sqrt(3)
//                  K = 1: 0.99944 < 2.7165 -> separate, widened
//                  K = 16: 3.99778 > 2.7165 -> the naive fold is kept (unfixable, with a note)
#include "analysis/fold_analysis.h"
#include "analysis/fold_math.h"
#include "analysis/fold_pair_finder.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cmath>

namespace {

bg::Graph oneChannelModel(int64_t fanIn)
{
    auto vec = [](float v) { return bg::Tensor({1}, std::vector<float>{v}); };
    bg::OnnxBuilder b(13);
    b.input("x", {1, fanIn, 2, 2}).output("y");
    b.initializer("W", bg::Tensor({1, fanIn, 1, 1}, std::vector<float>(static_cast<size_t>(fanIn), 1.0f)));
    b.initializer("g", vec(1)).initializer("beta", vec(0)).initializer("mu", vec(-3)).initializer("v", vec(1));
    b.node("Conv", {"x", "W"}, {"z"}, {}, "conv");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"n"}, {{"epsilon", 0.0f}}, "bn");
    b.node("Relu", {"n"}, {"y"}, {}, "relu");
    return bg::loadModelFromBytes(b.serialize(), "one.onnx");
}

const double kInputRms = 255.0 / 64.0 / std::sqrt(3.0);

} // namespace

class TestFoldAutoCost : public QObject {
    Q_OBJECT
private slots:
    void costFunctions()
    {
        QVERIFY(std::fabs(bg::saturationError(1344.0, 1.0 / 7, 1.0 / 64, 8) - 1217.0 / 448.0) < 1e-12);
        QCOMPARE(bg::saturationError(-127.0, 1.0 / 7, 1.0 / 64, 8), 0.0);  // in range: no error
        QVERIFY(std::fabs(bg::saturationError(-128.4, 1.0, 1.0, 8) - 1.0) < 1e-12);  // round(-128.4) = -128
        QVERIFY(std::fabs(bg::uniformRms(0.0, 3.0) - std::sqrt(3.0)) < 1e-12);
        QVERIFY(std::fabs(bg::uniformRms(-1.0, 1.0) - std::sqrt(1.0 / 3.0)) < 1e-12);
        QVERIFY(std::fabs(bg::uniformRms(2.0, 5.0) - 5.0 / std::sqrt(3.0)) < 1e-12);  // lo' = min(lo, 0)
        const double widened = 192.0 / 127.0, base = 1.0 / 7.0;
        QVERIFY(std::fabs(bg::wideningNoise(1.0, 1.0, base, widened, kInputRms) - 0.999445) < 1e-5);
        QVERIFY(std::fabs(bg::wideningNoise(1.0, 16.0, base, widened, kInputRms) - 3.997779) < 1e-5);
        QVERIFY(std::fabs(bg::wideningNoise(0.5, 16.0, base, widened, kInputRms) - 3.997779 / 2) < 1e-5);
        QCOMPARE(bg::wideningNoise(1.0, 16.0, base, base, kInputRms), 0.0);  // nothing widened
    }

    void autoWeighsWideningAgainstClamp_data()
    {
        QTest::addColumn<qlonglong>("fanIn");
        QTest::addColumn<int>("strategy");
        QTest::addColumn<bool>("widened");
        QTest::addColumn<bool>("unfixable");
        QTest::newRow("K=1: widening is cheaper") << qlonglong(1) << int(bg::Strategy::Separate) << true << false;
        QTest::newRow("K=16: saturation is cheaper") << qlonglong(16) << int(bg::Strategy::Clamp) << false << true;
    }
    void autoWeighsWideningAgainstClamp()
    {
        QFETCH(qlonglong, fanIn);
        QFETCH(int, strategy);
        QFETCH(bool, widened);
        QFETCH(bool, unfixable);
        const bg::Graph g = oneChannelModel(fanIn);
        bg::QuantSettings s;
        s.biasBits = 8;
        const bg::RangeTable ranges{{"x", {0.0, 255.0 / 64.0}}, {"z", {-64.0, 64.0}}, {"y", {0.0, 255.0 / 16.0}}};
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), s, ranges);
        const bg::ChannelAnalysis& ch = a.layers.at(0).channels.at(0);
        QCOMPARE(ch.biasInt, 1344.0);
        QVERIFY(ch.outOfRange);
        QCOMPARE(ch.bitsSeparated, 12);
        QCOMPARE(int(ch.autoStrategy), strategy);
        QCOMPARE(ch.widened, widened);
        QCOMPARE(ch.unfixable, unfixable);
        if (widened)
            QVERIFY(std::fabs(ch.widenedWeightScale - 192.0 / 127.0) < 1e-12);
        else
            QVERIFY2(ch.note.find("kept the naive fold") != std::string::npos, ch.note.c_str());
    }
};

QTEST_APPLESS_MAIN(TestFoldAutoCost)
#include "tst_fold_auto_cost.moc"
