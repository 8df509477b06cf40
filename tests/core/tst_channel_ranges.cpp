// QUANT_SPEC §7 constant: "the channel's calibrated pre-BN range times |a_c| is below s_y/2". The
// calibrator records per-channel (axis 1) min/max of every foldable pair's pre-BN tensor and the
// analysis uses the channel's own range. Hand-computed case:
//   x [1,1,1,2], Conv W = [1, 10] (two 1x1 output channels, no bias): z0 = x, z1 = 10·x
//   samples x = (0.5, -0.5) and (1.0, 0.25):  z0 in [-0.5, 1.0], z1 in [-5, 10], tensor z in [-5, 10]
//   BN (eps 0, var 1, mu 0): a0 = 0.01, beta0 = 0.5; a1 = 1, beta1 = 0 -> y = BN output (graph output)
//   y0 in [0.495, 0.51], y1 in [-5, 10] -> s_y = 15/255, s_y/2 = 0.02941
//   channel 0: |a0|·max(|-0.5|, |1.0|) = 0.01 < 0.0294 -> constant applies
//   with only the tensor's range: |a0|·max(|-5|, |10|) = 0.1 > 0.0294 -> it would not
#include "analysis/fold_analysis.h"
#include "folding/fold_pair_finder.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "calibration/calibrator.h"
#include "calibration/channel_ranges.h"

#include <QtTest>

#include <limits>

#include <cmath>

#include <random>

namespace {

class FixedSource : public bg::CalibrationSource {
public:
    size_t count() const override { return 2; }
    std::map<std::string, bg::Tensor> sample(size_t i) override
    {
        const std::vector<float> v = i == 0 ? std::vector<float>{0.5f, -0.5f} : std::vector<float>{1.0f, 0.25f};
        return {{"x", bg::Tensor({1, 1, 1, 2}, v)}};
    }
    std::string description() const override { return "two fixed samples"; }
};

bg::Graph twoChannelModel()
{
    auto vec = [](float a, float b) { return bg::Tensor({2}, std::vector<float>{a, b}); };
    bg::OnnxBuilder b(13);
    b.input("x", {1, 1, 1, 2}).output("y");
    b.initializer("W", bg::Tensor({2, 1, 1, 1}, std::vector<float>{1, 10}));
    b.initializer("g", vec(0.01f, 1)).initializer("beta", vec(0.5f, 0)).initializer("mu", vec(0, 0));
    b.initializer("v", vec(1, 1));
    b.node("Conv", {"x", "W"}, {"z"}, {}, "conv");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"y"}, {{"epsilon", 0.0f}}, "bn");
    return bg::loadModelFromBytes(b.serialize(), "two.onnx");
}

} // namespace

class TestChannelRanges : public QObject {
    Q_OBJECT
private slots:
    void calibratorRecordsPreBnChannels()
    {
        const bg::Graph g = twoChannelModel();
        FixedSource source;
        const bg::RangeTable ranges = bg::calibrate(g, bg::findFoldPairs(g), source);
        const bg::TensorRange& z = ranges.at("z");
        QCOMPARE(z.min, -5.0);
        QCOMPARE(z.max, 10.0);
        QCOMPARE(z.channelMin, (std::vector<double>{-0.5, -5.0}));
        QCOMPARE(z.channelMax, (std::vector<double>{1.0, 10.0}));
        // The group's input and output too (the activation-range diagnosis), with the channels' power.
        QCOMPARE(ranges.at("x").channelMin, (std::vector<double>{-0.5}));
        QCOMPARE(ranges.at("x").channelMax, (std::vector<double>{1.0}));
        QCOMPARE(ranges.at("x").channelMeanSquare, (std::vector<double>{(0.25 + 0.25 + 1.0 + 0.0625) / 4}));
        QCOMPARE(ranges.at("y").channelMin.size(), size_t(2));
        QCOMPARE(z.channelMeanSquare.size(), size_t(2));
    }

    void constantUsesTheChannelsOwnRange()
    {
        const bg::Graph g = twoChannelModel();
        FixedSource source;
        bg::RangeTable ranges = bg::calibrate(g, bg::findFoldPairs(g), source);
        const bg::FoldPairs pairs = bg::findFoldPairs(g);
        const bg::FoldAnalysis a = bg::analyzeFolds(g, pairs, bg::QuantSettings{}, ranges);
        QVERIFY(a.layers.at(0).channels.at(0).constantApplies);
        QVERIFY(!a.layers.at(0).channels.at(1).constantApplies);  // 1·10 > s_y/2

        // Without per-channel ranges the tensor's range bounds every channel (conservative).
        ranges.at("z").channelMin.clear();
        ranges.at("z").channelMax.clear();
        const bg::FoldAnalysis b = bg::analyzeFolds(g, pairs, bg::QuantSettings{}, ranges);
        QVERIFY(!b.layers.at(0).channels.at(0).constantApplies);
    }

    // The vectorised block pass against a plain loop: random lengths (tails of every size), and
    // NaN, +inf and -inf at random places, which count as non-finite and stay out of min, max and
    // the sum of squares; a block of only non-finite values and an empty block have no range.
    void blockStatsMatchAPlainLoop()
    {
        std::mt19937 gen(11);
        std::uniform_real_distribution<float> value(-1000.0f, 1000.0f);
        std::uniform_int_distribution<int> length(0, 70), special(0, 40);
        const float specials[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity()};
        for (int trial = 0; trial < 3000; ++trial) {
            std::vector<float> v(static_cast<size_t>(length(gen)));
            for (float& x : v) {
                const int k = special(gen);
                x = k < 3 && trial % 2 ? specials[k] : value(gen);
            }
            float mn = std::numeric_limits<float>::infinity(), mx = -mn;
            double sq = 0.0;
            int64_t finite = 0;
            bool nonFinite = false;
            for (float x : v) {
                if (!std::isfinite(x)) {
                    nonFinite = true;
                    continue;
                }
                mn = std::min(mn, x);
                mx = std::max(mx, x);
                sq += double(x) * double(x);
                ++finite;
            }
            const bg::BlockStats b = bg::blockStats(v.data(), v.size());
            QCOMPARE(b.finite, finite);
            QCOMPARE(b.nonFinite, nonFinite);
            QCOMPARE(b.min, mn);
            QCOMPARE(b.max, mx);
            QVERIFY(std::abs(b.sumSquares - sq) <= 1e-12 * sq);
        }
        const float onlyBad[] = {specials[0], specials[1]};
        const bg::BlockStats none = bg::blockStats(onlyBad, 2);
        QCOMPARE(none.finite, int64_t(0));
        QVERIFY(none.nonFinite && none.min > none.max);
        QCOMPARE(bg::blockStats(onlyBad, 0).finite, int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestChannelRanges)
#include "tst_channel_ranges.moc"
