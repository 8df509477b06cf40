// QUANT_SPEC §2–§5, §7: the per-channel analysis of a hand-built Conv -> BN -> Relu with five
// channels chosen so that auto picks each outcome once. Settings n_w = 4 (Q_w = 7), n_a = 8,
// n_b = 8 (bias range -128..127); ranges chosen dyadic so the numbers below are exact:
//   x in [0, 255/64]  -> s_x = 1/64, zp 0        y in [0, 255/16] -> s_y = 1/16, zp 0
//   L's output z in [-8, 8] (the pre-BN range used by the constant test), epsilon 0.
//
//  c | W   | gamma  | var  | mu | beta | a     | W'     | b'    | s_w (per ch) | B_c = b'/(s_w s_x)
//  0 | 1   | 1      | 1    | 0  | 0.25 | 1     | 1      | 0.25  | 1/7          | 0.25*448 = 112 (8 bits)
//  1 | -2  | 2      | 4    | 0  | -1   | 1     | -2     | -1    | 2/7          | -224 (9 bits)
//  2 | 0.5 | 2^-10  | 0.25 | 0  | 0.25 | 2^-9  | 2^-10  | 0.25  | 2^-10/7      | 0.25*7*2^16 = 114688 (18)
//  3 | 4   | 1      | 1    | 10 | 0    | 1     | 4      | -10   | 4/7          | -1120 (12 bits)
//  4 | 1   | 1      | 1    | 0  | 40   | 1     | 1      | 40    | 1/7          | 17920 (16 bits)
// Separated (s_W = max|W|/7): §7's q_pre = -mu/(s_W s_x), q_post = round(beta*16). The backend's
// bias split (SPEC_NOTES "Bias split") holds T = b'/s_y output steps in pre (worth M = a s_W s_x/s_y
// steps each) plus post, both in -128..127:
//  0: pre 0, post 4 -> 4 bits          -> in range: clamp (the naive fold)
//  1: pre 0, post -16 -> 5 bits        -> separate (T = -16 = post)
//  2: |a|*8 = 2^-6 < s_y/2 = 2^-5      -> constant (post 4 -> 4 bits)
//  3: pre -1120 (12 bits), post 0; T = -160 but M = 1/7 reaches only 128 + 128/7 -> separate with s_W
//     widened to 63/64 (M = 63/256: pre -128, post -128 give -159.5, within half a step)
//  4: pre 0, post 640 (11 bits); T = 640, M = 1/28: the widened s_W ~ 16.1 rounds W = 1 to 0
//     -> separate, unfixable (the channel runs as its constant)
// Per tensor: s_w = 4/7 for every channel; W'_2 = 2^-10 rounds to 0 -> crushed. B_c = b' * 112:
//  28, -112, 28, -1120, 4480 -> out of range: channels 3 (12 bits) and 4 (14 bits).
#include "analysis/fold_analysis.h"
#include "folding/fold_pair_finder.h"
#include "export/onnx_builder.h"
#include "io/error.h"
#include "model/model_loader.h"

#include <QtTest>

#include <cmath>

using bg::Strategy;

namespace {

bg::Tensor vec(std::vector<float> v) { const auto n = static_cast<int64_t>(v.size()); return bg::Tensor({n}, std::move(v)); }

bg::Graph fiveChannelModel()
{
    bg::OnnxBuilder b(13);
    b.input("x", {1, 1, 2, 2}).output("y");
    b.initializer("W", bg::Tensor({5, 1, 1, 1}, std::vector<float>{1, -2, 0.5f, 4, 1}));
    b.initializer("g", vec({1, 2, std::ldexp(1.0f, -10), 1, 1}));
    b.initializer("beta", vec({0.25f, -1, 0.25f, 0, 40}));
    b.initializer("mu", vec({0, 0, 0, 10, 0}));
    b.initializer("v", vec({1, 4, 0.25f, 1, 1}));
    b.node("Conv", {"x", "W"}, {"z"}, {}, "conv");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"n"}, {{"epsilon", 0.0f}}, "bn");
    b.node("Relu", {"n"}, {"y"}, {}, "relu");
    return bg::loadModelFromBytes(b.serialize(), "five.onnx");
}

bg::RangeTable ranges()
{
    return {{"x", {0.0, 255.0 / 64.0}}, {"z", {-8.0, 8.0}}, {"y", {0.0, 255.0 / 16.0}}};
}

bg::QuantSettings settings(bg::Granularity g)
{
    bg::QuantSettings s;
    s.weightBits = 4;
    s.activationBits = 8;
    s.biasBits = 8;
    s.granularity = g;
    return s;
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

} // namespace

class TestFoldAnalysis : public QObject {
    Q_OBJECT
private slots:
    void layerScales()
    {
        const bg::Graph g = fiveChannelModel();
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerChannel), ranges());
        QCOMPARE(a.layers.size(), size_t(1));
        const bg::LayerAnalysis& l = a.layers[0];
        QCOMPARE(l.name, std::string("conv"));
        QCOMPARE(l.op, std::string("Conv"));
        QCOMPARE(l.bn, std::string("bn"));
        QCOMPARE(l.inputScale, 1.0 / 64.0);
        QCOMPARE(l.inputZeroPoint, qint64(0));
        QCOMPARE(l.outputScale, 1.0 / 16.0);
        QCOMPARE(l.outputTensor, std::string("y"));
        QCOMPARE(a.modelPath, std::string("five.onnx"));
        QCOMPARE(a.opset, qint64(13));
    }

    void perChannel_data()
    {
        QTest::addColumn<int>("c");
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("sw");
        QTest::addColumn<double>("biasFloat");
        QTest::addColumn<double>("exact");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("out");
        QTest::addColumn<int>("bitsSep");
        QTest::addColumn<int>("strategy");
        QTest::addColumn<bool>("widened");
        QTest::addColumn<bool>("unfixable");
        QTest::addColumn<double>("widenedScale");
        QTest::newRow("0 in range") << 0 << 1.0 << 1.0 / 7 << 0.25 << 112.0 << 8 << false << 4 << int(Strategy::Clamp) << false << false << 0.0;
        QTest::newRow("1 separate") << 1 << 1.0 << 2.0 / 7 << -1.0 << -224.0 << 9 << true << 5 << int(Strategy::Separate) << false << false << 0.0;
        QTest::newRow("2 constant") << 2 << std::ldexp(1.0, -9) << std::ldexp(1.0, -10) / 7 << 0.25 << 114688.0 << 18 << true << 4 << int(Strategy::Constant) << false << false << 0.0;
        QTest::newRow("3 widened") << 3 << 1.0 << 4.0 / 7 << -10.0 << -1120.0 << 12 << true << 12 << int(Strategy::Separate) << true << false << 63.0 / 64;
        QTest::newRow("4 unfixable") << 4 << 1.0 << 1.0 / 7 << 40.0 << 17920.0 << 16 << true << 11 << int(Strategy::Separate) << true << true << -1.0;
    }
    void perChannel()
    {
        QFETCH(int, c);
        QFETCH(double, a);
        QFETCH(double, sw);
        QFETCH(double, biasFloat);
        QFETCH(double, exact);
        QFETCH(int, bits);
        QFETCH(bool, out);
        QFETCH(int, bitsSep);
        QFETCH(int, strategy);
        QFETCH(bool, widened);
        QFETCH(bool, unfixable);
        QFETCH(double, widenedScale);
        const bg::Graph g = fiveChannelModel();
        const bg::FoldAnalysis an = bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerChannel), ranges());
        const bg::ChannelAnalysis& ch = an.layers[0].channels[static_cast<size_t>(c)];
        QCOMPARE(ch.channel, qint64(c));
        QVERIFY(near(ch.foldFactor, a));
        QVERIFY(near(ch.weightScale, sw));
        QVERIFY(near(ch.biasFloat, biasFloat));
        QVERIFY2(near(ch.biasExact, exact), qPrintable(QString::number(ch.biasExact, 'g', 17)));
        QCOMPARE(ch.biasInt, exact);
        QCOMPARE(ch.bits, bits);
        QCOMPARE(ch.outOfRange, out);
        QVERIFY(!ch.crushed);
        QCOMPARE(ch.bitsSeparated, bitsSep);
        QCOMPARE(int(ch.autoStrategy), strategy);
        QCOMPARE(int(ch.strategy), strategy);  // settings say auto
        QCOMPARE(ch.widened, widened);
        QCOMPARE(ch.unfixable, unfixable);
        QVERIFY(near(ch.headroom, std::fabs(exact) / 127.0));
        if (widenedScale > 0)
            QVERIFY2(ch.widenedWeightScale == widenedScale, qPrintable(QString::number(ch.widenedWeightScale, 'g', 17)));
        else if (!widened)
            QCOMPARE(ch.widenedWeightScale, ch.separatedWeightScale);
        if (widened || unfixable)
            QVERIFY(!ch.note.empty());
        if (unfixable)
            QVERIFY2(ch.note.find("rounds every weight of the channel to 0") != std::string::npos, ch.note.c_str());
        if (strategy == int(Strategy::Separate))  // the split holds b'/s_y within half an output step
            QVERIFY(ch.splitError <= 0.5);
    }

    void summaryPerChannel()
    {
        const bg::Graph g = fiveChannelModel();
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerChannel), ranges());
        QCOMPARE(a.summary.pairs, qint64(1));
        QCOMPARE(a.summary.channels, qint64(5));
        QCOMPARE(a.summary.outOfRange, qint64(4));
        QCOMPARE(a.summary.crushed, qint64(0));
        QCOMPARE(a.summary.maxBits, 18);
        QCOMPARE(a.summary.unfixable, qint64(1));
        QCOMPARE(a.summary.autoConstant, qint64(1));  // channel 2
        QCOMPARE(a.summary.autoSeparate, qint64(3));  // channels 1, 3, 4
        QCOMPARE(a.summary.autoWidened, qint64(2));   // channels 3, 4
    }

    void perTensor()
    {
        const bg::Graph g = fiveChannelModel();
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerTensor), ranges());
        const auto& chs = a.layers[0].channels;
        const double expected[5] = {28, -112, 28, -1120, 4480};
        for (int c = 0; c < 5; ++c) {
            QVERIFY(near(chs[static_cast<size_t>(c)].weightScale, 4.0 / 7.0));
            QVERIFY(near(chs[static_cast<size_t>(c)].biasExact, expected[c]));
            QCOMPARE(chs[static_cast<size_t>(c)].crushed, c == 2);
        }
        QCOMPARE(a.summary.outOfRange, qint64(2));
        QCOMPARE(a.summary.crushed, qint64(1));
        QCOMPARE(a.summary.maxBits, 14);
        // Separated weights per tensor: s_W = 4/7 for all, as channel 3's own: the same widening.
        QVERIFY(chs[3].widened);
        QCOMPARE(chs[3].widenedWeightScale, 63.0 / 64);
        QVERIFY(chs[4].unfixable);
        QCOMPARE(int(chs[2].autoStrategy), int(Strategy::Clamp));  // crushed but in range: auto keeps the fold
    }

    void explicitStrategyIsReported()
    {
        const bg::Graph g = fiveChannelModel();
        bg::QuantSettings s = settings(bg::Granularity::PerChannel);
        s.strategy = Strategy::Widen;
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), s, ranges());
        for (const auto& ch : a.layers[0].channels)
            QCOMPARE(int(ch.strategy), int(Strategy::Widen));
        QCOMPARE(int(a.layers[0].channels[2].autoStrategy), int(Strategy::Constant));
    }

    void missingPreBnRangeDisablesConstant()
    {
        const bg::Graph g = fiveChannelModel();
        bg::RangeTable r = ranges();
        r.erase("z");
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerChannel), r);
        QVERIFY(!a.layers[0].channels[2].constantApplies);
        QCOMPARE(int(a.layers[0].channels[2].autoStrategy), int(Strategy::Separate));
    }

    // The same derivation for a layer without BN (the integer runtime's groups of their own): a = 1,
    // b' = b, W' = W, and no constant test even with a range at hand. Bias b_4 = 10: B_4 = 10·7·64 =
    // 4480 is out of range at 8 bits, so auto separates it; the others (b = 0) stay the fold.
    void derivationWithoutBn()
    {
        const bg::Graph g = fiveChannelModel();
        bg::FoldPair pair = bg::findFoldPairs(g).pairs.at(0);
        pair.gamma.clear();
        pair.beta.clear();
        pair.mean.clear();
        pair.var.clear();
        pair.linearBias = {0, 0, 0, 0, 10};
        const bg::TensorRange z{-1e-9, 1e-9};  // would make every channel constant with a BN
        const bg::LayerAnalysis l = bg::deriveLayer(pair, false, settings(bg::Granularity::PerChannel),
                                                    bg::activationQuantFromRange(0.0, 255.0 / 64.0, 8),
                                                    bg::activationQuantFromRange(0.0, 255.0 / 16.0, 8), &z);
        QCOMPARE(l.channels.size(), size_t(5));
        for (const bg::ChannelAnalysis& ch : l.channels) {
            QCOMPARE(ch.foldFactor, 1.0);
            QCOMPARE(ch.biasFloat, ch.linearBias);
            QCOMPARE(ch.maxAbsFoldedWeight, ch.maxAbsWeight);
            QVERIFY(!ch.constantApplies);
            QCOMPARE(int(ch.autoStrategy), int(ch.channel == 4 ? Strategy::Separate : Strategy::Clamp));
        }
        QCOMPARE(l.channels[4].biasInt, 4480.0);
        QVERIFY(l.channels[4].outOfRange);
        QVERIFY(l.channels[4].splitExact);
    }

    void missingInputRangeIsAnError()
    {
        const bg::Graph g = fiveChannelModel();
        bg::RangeTable r = ranges();
        r.erase("x");
        try {
            bg::analyzeFolds(g, bg::findFoldPairs(g), settings(bg::Granularity::PerChannel), r);
            QFAIL("expected bg::Error");
        } catch (const bg::Error& e) {
            QCOMPARE(int(e.code()), int(bg::ErrorCode::MissingTensor));
            // The tensor, said of the model it belongs to (an empty path: the tensor alone).
            QCOMPARE(e.subject(), g.path.empty() ? std::string("x") : g.path + ": x");
            QVERIFY(std::string(e.what()).find("no calibrated range") != std::string::npos);
        }
    }

    void eightBitWeightsOverflowSooner()
    {
        // §5: B_c grows with Q_w. Channel 0 at 8-bit weights: s_w = 1/127, B = 0.25*127*64 = 2032 (12 bits).
        const bg::Graph g = fiveChannelModel();
        bg::QuantSettings s = settings(bg::Granularity::PerChannel);
        s.weightBits = 8;
        const bg::FoldAnalysis a = bg::analyzeFolds(g, bg::findFoldPairs(g), s, ranges());
        QVERIFY(near(a.layers[0].channels[0].biasExact, 2032.0));
        QCOMPARE(a.layers[0].channels[0].bits, 12);
        QVERIFY(a.layers[0].channels[0].outOfRange);
    }
};

QTEST_APPLESS_MAIN(TestFoldAnalysis)
#include "tst_fold_analysis.moc"
