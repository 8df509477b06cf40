// The AVX2 requantization's float32 screen (exact_requantize_simd.h) gives the scalar double form's
// codes bit for bit, where float32 is closest to getting them wrong: M·t within float32's error of a
// tie (large |t|, whose float32 is off by up to 64, times a small M), exact ties, |M·t| just past the
// screen's 4096 (where only the clamp decides), zp + post at and beyond the screen's 2^10, biases
// that overflow int32 either way. Each row is compared channels-first (one
// channel's row at a time) and channels-last (tiles of pixels), with the codes written either way.
#include "integer/int_requantize.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace {

enum class Case { NearTies, Far, ZpPost, Overflow };

struct Layer {
    bg::IntAccumulators acc;  // channels-first [1, C, 1, spatial]
    bg::RequantizeParams params;
};

// A layer of `channels` channels whose accumulators sweep t = acc + pre across the values `kind` is about.
Layer makeLayer(Case kind, int64_t channels, unsigned seed)
{
    std::mt19937 rng(seed);
    constexpr int64_t kSpatial = 515;  // not a multiple of 8, nor of the 64-pixel tile
    Layer l;
    l.acc.shape = {1, channels, 1, kSpatial};
    l.acc.values.resize(static_cast<size_t>(channels * kSpatial));
    bg::RequantizeParams& p = l.params;
    p.zeroPoint = 10;
    p.clampMin = 0;
    p.clampMax = 255;
    std::uniform_real_distribution<double> smallM(1e-6, 5e-5);
    for (int64_t c = 0; c < channels; ++c) {
        double m = smallM(rng);
        int64_t pre = static_cast<int64_t>(rng() % 20001) - 10000;
        int64_t post = static_cast<int64_t>(rng() % 101) - 50;
        if (kind == Case::Far) {
            m = c % 2 == 0 ? 1.0 : 0.37;
            post = (c % 4 < 2 ? 1 : -1) * 1014;  // zp + post = ±1024 (or 10 − 1014): at the screen's bound
        } else if (kind == Case::ZpPost) {
            post = (c % 3 == 0 ? 1 : -1) * (1000 + 3000 * (c % 2));  // within and beyond 2^10
            m = 1e-3 * (1.0 + static_cast<double>(c));
        } else if (kind == Case::Overflow) {
            pre = c % 3 == 0 ? int64_t{std::numeric_limits<int32_t>::max()} - 7
                : c % 3 == 1 ? int64_t{std::numeric_limits<int32_t>::min()} + 3
                             : -(int64_t{1} << 31);
        }
        if (c == 1 && kind == Case::NearTies)
            m = 1.0 / 1024.0;  // exact ties at every t ≡ 512 (mod 1024)
        p.multiplier.push_back(m);
        p.preBias.push_back(pre);
        p.postBias.push_back(post);
        for (int64_t i = 0; i < kSpatial; ++i) {
            int64_t t = 0;
            if (kind == Case::NearTies) {
                // Around the tie (k + 0.5)/M with |t| near 2^30, a few steps of t apart.
                const double k = std::floor(1e8 * m) + static_cast<double>(i % 40) - 20.0;
                t = static_cast<int64_t>(std::llround((k + 0.5) / m)) + static_cast<int64_t>(rng() % 9) - 4;
                if (i % 2 == 1)
                    t = -t;
            } else if (kind == Case::Far) {
                t = static_cast<int64_t>(std::llround((4096.0 + static_cast<double>(i % 16) - 8.0) / m));
                if (i % 2 == 1)
                    t = -t;
            } else if (kind == Case::ZpPost) {
                t = static_cast<int64_t>(std::llround((-static_cast<double>(post) + static_cast<double>(i % 300) - 20.0 + 0.5) / m))
                    + static_cast<int64_t>(rng() % 3) - 1;
            } else {  // any accumulator: acc + pre leaves int32 for about a quarter of them
                t = static_cast<int64_t>(rng()) - (int64_t{1} << 31) + pre;
            }
            const int64_t a = std::clamp<int64_t>(t - pre, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
            l.acc.values[static_cast<size_t>(c * kSpatial + i)] = static_cast<int32_t>(a);
        }
    }
    return l;
}

bg::IntAccumulators channelsLast(const bg::IntAccumulators& first)
{
    bg::IntAccumulators last = first;
    last.channelsLast = true;
    const int64_t channels = first.shape[1], spatial = first.shape[3];
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t i = 0; i < spatial; ++i)
            last.values[static_cast<size_t>(i * channels + c)] = first.values[static_cast<size_t>(c * spatial + i)];
    return last;
}

} // namespace

class TestRequantizeScreen : public QObject {
    Q_OBJECT
private slots:
    void screenedCodesEqualTheDoubleForm_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("channels");
        const std::pair<const char*, Case> kinds[] = {{"near ties", Case::NearTies},
                                                      {"|M·t| around 4096", Case::Far},
                                                      {"zp + post around 2^10", Case::ZpPost},
                                                      {"bias overflows", Case::Overflow}};
        for (const auto& [name, kind] : kinds)
            for (qint64 c : {qint64(8), qint64(13), qint64(24)})
                QTest::addRow("%s, %lld channels", name, static_cast<long long>(c)) << static_cast<int>(kind) << c;
    }
    void screenedCodesEqualTheDoubleForm()
    {
        QFETCH(int, kind);
        QFETCH(qint64, channels);
        Layer l = makeLayer(static_cast<Case>(kind), channels, static_cast<unsigned>(kind * 100 + channels));
        const bg::IntAccumulators last = channelsLast(l.acc);
        bg::RequantizeParams& p = l.params;
        p.simd = bg::RequantizeSimd::Scalar;
        const bg::RequantizeResult scalar = bg::requantize(l.acc, 1, p, "layer");
        if (static_cast<Case>(kind) == Case::Overflow)
            QVERIFY(scalar.biasOverflows > 0);
        // The rows must reach more than one code, and ties must be there to round.
        QVERIFY(std::count(scalar.output.values.begin(), scalar.output.values.end(), scalar.output.values[0])
                < static_cast<std::ptrdiff_t>(scalar.output.values.size()));
        const bg::QuantActivation scalarLast = bg::activationChannelsLast(scalar.output);
        for (const auto simd : {bg::RequantizeSimd::Avx2, bg::RequantizeSimd::Avx512})
            for (const bg::IntAccumulators* order : {static_cast<const bg::IntAccumulators*>(&l.acc), &last})
                for (const bool lastOut : {false, true}) {
                    p.simd = simd;
                    p.channelsLastOutput = lastOut;
                    const bg::RequantizeResult r = bg::requantize(*order, 1, p, "layer");
                    const QString what = QString("width %1, accumulators %2, codes %3")
                                             .arg(int(simd))
                                             .arg(order == &last ? "channels-last" : "channels-first")
                                             .arg(lastOut ? "channels-last" : "channels-first");
                    const auto& want = lastOut ? scalarLast.values : scalar.output.values;
                    int64_t differ = 0;
                    for (size_t i = 0; i < want.size(); ++i)
                        differ += r.output.values[i] != want[i];
                    QVERIFY2(differ == 0, qPrintable(what + QString(": %1 codes differ").arg(differ)));
                    QCOMPARE(r.biasChannelOverflows, scalar.biasChannelOverflows);
                }
    }
};

QTEST_GUILESS_MAIN(TestRequantizeScreen)
#include "tst_requantize_screen.moc"
