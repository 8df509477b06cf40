// Integer linear kernels of QUANT_SPEC §6: hand-computed cases check the reference loops, random
// tables check that the oneDNN path is BIT-EXACT with the reference (and really ran the oneDNN path
// this CPU must take), and the overflow / determinism contracts are exercised.
// ctest runs this file once per oneDNN ISA cap (tests/CMakeLists.txt: native, AVX512_CORE, AVX2),
// so the pre-VNNI split path is tested on every machine, whatever CPU it has.
#include "io/error.h"
#include "integer/int_conv.h"
#include "integer/int_conv_transpose.h"
#include "integer/int_dnnl_support.h"
#include "integer/int_kernel_info.h"
#include "integer/int_matmul.h"
#include "integer/int_requantize.h"

#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

using bg::Shape;

namespace {

bg::QuantActivation randomActivation(Shape shape, int bits, int64_t zp, std::mt19937& rng)
{
    bg::QuantActivation x;
    x.shape = std::move(shape);
    x.bits = bits;
    x.zeroPoint = zp;
    std::uniform_int_distribution<int> d(0, (1 << bits) - 1);
    x.values.resize(static_cast<size_t>(bg::shapeNumel(x.shape)));
    for (auto& v : x.values)
        v = static_cast<uint8_t>(d(rng));
    // The largest code must occur: the pre-VNNI saturation risk lives there.
    if (!x.values.empty())
        x.values[x.values.size() / 2] = static_cast<uint8_t>((1 << bits) - 1);
    return x;
}

bg::QuantWeight randomWeight(Shape shape, int bits, std::mt19937& rng)
{
    bg::QuantWeight w;
    w.shape = std::move(shape);
    w.bits = bits;
    const int q = (1 << (bits - 1)) - 1;
    std::uniform_int_distribution<int> d(-q, q);
    w.values.resize(static_cast<size_t>(bg::shapeNumel(w.shape)));
    for (auto& v : w.values)
        v = static_cast<int8_t>(d(rng));
    // Make sure the extremes occur: the non-VNNI saturation risk lives at ±Q_w.
    if (w.values.size() >= 2) {
        w.values[0] = static_cast<int8_t>(q);
        w.values[1] = static_cast<int8_t>(-q);
    }
    return w;
}

bg::QuantActivation activation(Shape shape, std::vector<uint8_t> values, int64_t zp, int bits = 8)
{
    return bg::QuantActivation{std::move(shape), std::move(values), zp, bits};
}

bg::QuantWeight weight(Shape shape, std::vector<int8_t> values, int bits = 8)
{
    return bg::QuantWeight{std::move(shape), std::move(values), bits};
}

std::vector<int32_t> ints(std::initializer_list<int32_t> v) { return v; }

// The path an exact fast kernel must take on the CPU oneDNN runs on, stated from the hardware and
// not from int_dnnl_support's own rule: VNNI (vpdpbusd) widens each u8·s8 product to int32, so one
// primitive is exact; without it vpmaddubsw saturates a pair of products to int16, so only operands
// whose pair sums fit may run as they are, and the others must run split.
bg::IntKernelPath expectedFastPath(const std::vector<uint8_t>& codes, int64_t paddingCode,
                                   const std::vector<int8_t>& weights)
{
    int64_t maxX = paddingCode;
    for (uint8_t c : codes)
        maxX = std::max<int64_t>(maxX, c);
    int64_t maxW = 0;
    for (int8_t q : weights)
        maxW = std::max<int64_t>(maxW, std::abs(int64_t{q}));
    using isa = dnnl::cpu_isa;
    const isa effective = dnnl::get_effective_cpu_isa();
    const bool vnni = effective == isa::avx512_core_vnni || effective == isa::avx512_core_bf16 ||
                      effective == isa::avx512_core_amx || effective == isa::avx2_vnni;
    if (vnni || 2 * maxX * maxW <= 32767)
        return bg::IntKernelPath::OneDnn;
    return bg::IntKernelPath::OneDnnSplit;
}

using I64s = std::vector<qint64>;
std::vector<int64_t> toVec(const I64s& v) { return {v.begin(), v.end()}; }

} // namespace

Q_DECLARE_METATYPE(I64s)

class TestIntKernels : public QObject {
    Q_OBJECT
private slots:
    // ---- reference checked by hand -------------------------------------------------------
    void convPaddingReadsZeroPoint()
    {
        // Codes 11..19 with zp 10 are the real values 1..9. Kernel: +1 at the centre, −1 at the
        // top-left, so out(y, x) = r(y, x) − r(y−1, x−1) with r = 0 outside (padding = real 0).
        // Reading code 0 at the pads instead would give 1 − (0 − 10) = 11 at (0, 0).
        const auto x = activation({1, 1, 3, 3}, {11, 12, 13, 14, 15, 16, 17, 18, 19}, 10);
        const auto w = weight({1, 1, 3, 3}, {-1, 0, 0, 0, 1, 0, 0, 0, 0});
        bg::IntConvParams p;
        p.name = "hand";
        p.padsBegin = {1, 1};
        p.padsEnd = {1, 1};
        const auto expected = ints({1, 2, 3, 4, 4, 4, 7, 4, 4});
        for (const auto& r : {bg::intConvReference(x, w, p), bg::intConvFast(x, w, p)}) {
            QCOMPARE(r.shape, (Shape{1, 1, 3, 3}));
            QCOMPARE(r.values, expected);
            QCOMPARE(r.overflowCount, qint64(0));
        }
    }

    void convStrideDilationAsymmetricPads()
    {
        // 1×5 input (real 1..5, zp 3), kernel [2, −1] dilated by 2, stride 2, pads left 1 right 0:
        // padded real row 0 1 2 3 4 5; windows start at 0, 2: out = 2·r[i] − r[i+2].
        const auto x = activation({1, 1, 1, 5}, {4, 5, 6, 7, 8}, 3);
        const auto w = weight({1, 1, 1, 2}, {2, -1});
        bg::IntConvParams p;
        p.name = "hand";
        p.strides = {1, 2};
        p.dilations = {1, 2};
        p.padsBegin = {0, 1};
        p.padsEnd = {0, 0};
        // windows (padded idx 0,2) -> 2·0 − 2 = −2; (2,4) -> 2·2 − 4 = 0.
        const auto r = bg::intConvReference(x, w, p);
        QCOMPARE(r.shape, (Shape{1, 1, 1, 2}));
        QCOMPARE(r.values, ints({-2, 0}));
        QCOMPARE(bg::intConvFast(x, w, p).values, r.values);
    }

    void convTransposeByHand()
    {
        // Real input [[1, 2], [3, 0]] (zp 3), kernel [[1, 2], [3, 4]], stride 2: each input places
        // a scaled copy of the kernel in its own 2×2 block.
        const auto x = activation({1, 1, 2, 2}, {4, 5, 6, 3}, 3);
        const auto w = weight({1, 1, 2, 2}, {1, 2, 3, 4});
        bg::IntConvTransposeParams p;
        p.name = "hand";
        p.strides = {2, 2};
        const auto full = ints({1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 0, 0, 9, 12, 0, 0});
        for (const auto& r : {bg::intConvTransposeReference(x, w, p), bg::intConvTransposeFast(x, w, p)}) {
            QCOMPARE(r.shape, (Shape{1, 1, 4, 4}));
            QCOMPARE(r.values, full);
        }
        p.padsBegin = {1, 1};
        p.padsEnd = {1, 1};
        for (const auto& r : {bg::intConvTransposeReference(x, w, p), bg::intConvTransposeFast(x, w, p)}) {
            QCOMPARE(r.shape, (Shape{1, 1, 2, 2}));
            QCOMPARE(r.values, ints({4, 6, 6, 0}));
        }
        // output_padding adds a last row/column that no input reaches: 0.
        p.padsBegin = {0, 0};
        p.padsEnd = {0, 0};
        p.outputPadding = {1, 1};
        const auto padded = ints({1, 2, 2, 4, 0, 3, 4, 6, 8, 0, 3, 6, 0, 0, 0, 9, 12, 0, 0, 0, 0, 0, 0, 0, 0});
        for (const auto& r : {bg::intConvTransposeReference(x, w, p), bg::intConvTransposeFast(x, w, p)}) {
            QCOMPARE(r.shape, (Shape{1, 1, 5, 5}));
            QCOMPARE(r.values, padded);
        }
    }

    void gemmByHand()
    {
        // Real a = [0, 2] (codes 5, 7, zp 5); B = [[1, 2], [3, −4]] -> [6, −8].
        const auto a = activation({1, 2}, {5, 7}, 5);
        bg::IntMatMulParams p;
        p.name = "hand";
        const auto b = weight({2, 2}, {1, 2, 3, -4});
        for (const auto& r : {bg::intMatMulReference(a, b, p), bg::intMatMulFast(a, b, p)})
            QCOMPARE(r.values, ints({6, -8}));
        p.transB = true;
        const auto bt = weight({2, 2}, {1, 3, 2, -4});
        for (const auto& r : {bg::intMatMulReference(a, bt, p), bg::intMatMulFast(a, bt, p)})
            QCOMPARE(r.values, ints({6, -8}));
    }

    // ---- fast == reference, bit-exact -----------------------------------------------------
    void convFastMatchesReference_data()
    {
        QTest::addColumn<I64s>("xShape");      // N, C, H, W (or N, C, L)
        QTest::addColumn<I64s>("wShape");
        QTest::addColumn<qint64>("group");
        QTest::addColumn<I64s>("strides");
        QTest::addColumn<I64s>("dilations");
        QTest::addColumn<I64s>("padsBegin");
        QTest::addColumn<I64s>("padsEnd");
        QTest::addColumn<int>("wBits");
        QTest::addColumn<int>("aBits");
        QTest::addColumn<qint64>("zp");
        QTest::addColumn<int>("seed");
        QTest::newRow("3x3 pad1 zp128") << I64s{1, 8, 9, 9} << I64s{16, 8, 3, 3} << qint64(1) << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 8 << 8 << qint64(128) << 1;
        QTest::newRow("1x1 batch3") << I64s{3, 16, 5, 7} << I64s{24, 16, 1, 1} << qint64(1) << I64s{} << I64s{} << I64s{} << I64s{} << 8 << 8 << qint64(37) << 2;
        QTest::newRow("stride2 asym pads") << I64s{2, 5, 11, 8} << I64s{7, 5, 3, 3} << qint64(1) << I64s{2, 2} << I64s{1, 1} << I64s{0, 1} << I64s{2, 0} << 8 << 8 << qint64(255) << 3;
        QTest::newRow("dilation2") << I64s{1, 4, 12, 12} << I64s{6, 4, 3, 3} << qint64(1) << I64s{1, 1} << I64s{2, 2} << I64s{2, 2} << I64s{2, 2} << 8 << 8 << qint64(3) << 4;
        QTest::newRow("groups2") << I64s{2, 8, 7, 7} << I64s{12, 4, 3, 3} << qint64(2) << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 8 << 8 << qint64(100) << 5;
        QTest::newRow("depthwise s2") << I64s{1, 16, 10, 10} << I64s{16, 1, 3, 3} << qint64(16) << I64s{2, 2} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 8 << 8 << qint64(200) << 6;
        QTest::newRow("depthwise mult2 5x5") << I64s{2, 6, 9, 9} << I64s{12, 1, 5, 5} << qint64(6) << I64s{1, 1} << I64s{1, 1} << I64s{2, 2} << I64s{2, 2} << 8 << 8 << qint64(9) << 7;
        QTest::newRow("4bit w 6bit a") << I64s{1, 32, 6, 6} << I64s{32, 32, 3, 3} << qint64(1) << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 4 << 6 << qint64(21) << 8;
        QTest::newRow("non-square kernel") << I64s{1, 3, 8, 13} << I64s{5, 3, 1, 7} << qint64(1) << I64s{1, 3} << I64s{1, 1} << I64s{0, 3} << I64s{0, 2} << 8 << 8 << qint64(64) << 9;
        QTest::newRow("1x1 stride2") << I64s{2, 6, 9, 8} << I64s{10, 6, 1, 1} << qint64(1) << I64s{2, 2} << I64s{1, 1} << I64s{} << I64s{} << 8 << 8 << qint64(99) << 13;
        QTest::newRow("zp 0") << I64s{1, 8, 6, 6} << I64s{8, 8, 3, 3} << qint64(1) << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 8 << 8 << qint64(0) << 10;
        QTest::newRow("1-D") << I64s{2, 4, 17} << I64s{6, 4, 3} << qint64(1) << I64s{2} << I64s{1} << I64s{1} << I64s{2} << 8 << 8 << qint64(77) << 11;
        QTest::newRow("wide channels") << I64s{1, 64, 7, 7} << I64s{96, 64, 3, 3} << qint64(1) << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << 8 << 8 << qint64(130) << 12;
    }
    void convFastMatchesReference()
    {
        QFETCH(I64s, xShape);
        QFETCH(I64s, wShape);
        QFETCH(qint64, group);
        QFETCH(I64s, strides);
        QFETCH(I64s, dilations);
        QFETCH(I64s, padsBegin);
        QFETCH(I64s, padsEnd);
        QFETCH(int, wBits);
        QFETCH(int, aBits);
        QFETCH(qint64, zp);
        QFETCH(int, seed);
        std::mt19937 rng(static_cast<unsigned>(seed));
        const auto x = randomActivation(toVec(xShape), aBits, zp, rng);
        const auto w = randomWeight(toVec(wShape), wBits, rng);
        bg::IntConvParams p{"conv", group, toVec(strides), toVec(dilations), toVec(padsBegin), toVec(padsEnd)};
        const auto ref = bg::intConvReference(x, w, p);
        const auto fast = bg::intConvFast(x, w, p);
        QCOMPARE(fast.path, expectedFastPath(x.values, zp, w.values));
        QCOMPARE(fast.shape, ref.shape);
        QCOMPARE(fast.shape, bg::intConvOutputShape(x.shape, w.shape, p));
        QVERIFY(fast.values == ref.values);
        QCOMPARE(fast.overflowCount, qint64(0));
        QCOMPARE(ref.overflowCount, qint64(0));
        // What the integer pipeline runs: the channels-last sums, with the weight sums made once.
        const bg::IntConvWeightSums sums = bg::intConvWeightSums(w, "conv");
        p.weightSums = &sums;
        const auto last = bg::intConvFastChannelsLast(x, w, p);
        QCOMPARE(last.path, fast.path);
        QCOMPARE(last.channelsLast, last.path != bg::IntKernelPath::Reference);
        QVERIFY(bg::accumulatorsChannelsFirst(last).values == ref.values);
        // Codes handed over channels-last (a group's output only fast convolutions read): the same
        // sums; a kernel that reads channels-first refuses them.
        const auto xLast = bg::activationChannelsLast(x);
        QVERIFY(bg::accumulatorsChannelsFirst(bg::intConvFastChannelsLast(xLast, w, p)).values == ref.values);
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::intConvReference(xLast, w, p));
    }

    // What the integer pipeline runs: a fast Conv a strip of output rows at a time, each strip
    // requantized on arrival. Strips of one row, of a few rows with a shorter last one, and of the
    // whole tensor give the reference's sums, and their codes are requantize's of the whole.
    void convStripsGiveTheWholeSums_data()
    {
        QTest::addColumn<qint64>("stripBytes");
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<qint64>("stride");
        QTest::newRow("one row") << qint64(1) << qint64(1) << qint64(1);
        QTest::newRow("three rows, batch 2") << qint64(3 * 2 * 9 * 12 * 4) << qint64(2) << qint64(1);
        QTest::newRow("two rows, stride 2") << qint64(2 * 2 * 5 * 12 * 4) << qint64(1) << qint64(2);
        QTest::newRow("whole") << std::numeric_limits<qint64>::max() << qint64(2) << qint64(1);
    }
    void convStripsGiveTheWholeSums()
    {
        QFETCH(qint64, stripBytes);
        QFETCH(qint64, batch);
        QFETCH(qint64, stride);
        std::mt19937 rng(static_cast<unsigned>(stripBytes % 1000 + batch));
        const auto x = randomActivation({batch, 8, 10, 9}, 8, 131, rng);
        const auto w = randomWeight({12, 8, 3, 3}, 8, rng);
        const bg::IntConvParams p{"conv", 1, {stride, stride}, {}, {1, 1}, {1, 1}};
        const auto ref = bg::intConvReference(x, w, p);
        const int64_t channels = 12, oh = ref.shape[2], ow = ref.shape[3];
        bg::IntAccumulators joined = ref;
        joined.channelsLast = true;
        bg::RequantizeParams rq;
        std::uniform_real_distribution<double> scale(1e-4, 4e-3);
        for (int64_t c = 0; c < channels; ++c) {
            rq.multiplier.push_back(scale(rng));
            rq.preBias.push_back(static_cast<int64_t>(rng() % 20000) - 10000);
        }
        rq.zeroPoint = 7;
        bg::RequantizeResult inStrips = bg::requantizeBegin(ref.shape, rq, "conv");
        int64_t nextRow = 0, calls = 0;
        const auto path = bg::intConvFastStrips(x, w, p, stripBytes, [&](std::vector<int32_t>& v, int64_t row0, int64_t rows) {
            QCOMPARE(row0, nextRow);
            // The strip's sums come first; the last strip's vector holds exactly those (a caller may move it).
            QVERIFY(static_cast<int64_t>(v.size()) >= batch * rows * ow * channels);
            if (row0 + rows == oh)
                QCOMPARE(static_cast<int64_t>(v.size()), batch * rows * ow * channels);
            for (int64_t n = 0; n < batch; ++n)
                std::copy_n(v.data() + n * rows * ow * channels, rows * ow * channels,
                            joined.values.data() + (n * oh + row0) * ow * channels);
            bg::requantizeStrip(v.data(), row0 * ow, rows * ow, rq, inStrips);
            nextRow += rows;
            ++calls;
        });
        QCOMPARE(path, expectedFastPath(x.values, 131, w.values));
        QCOMPARE(nextRow, oh);
        const int64_t rowsPerStrip = std::clamp<int64_t>(stripBytes / (bg::intDnnlBlocks(path) * batch * ow * channels * 4), 1, oh);
        QCOMPARE(calls, (oh + rowsPerStrip - 1) / rowsPerStrip);
        QVERIFY(bg::accumulatorsChannelsFirst(joined).values == ref.values);
        const auto whole = bg::requantize(ref, 1, rq, "conv");
        QVERIFY(inStrips.output.values == whole.output.values);
        QCOMPARE(inStrips.biasChannelOverflows, whole.biasChannelOverflows);
    }

    void convTransposeFastMatchesReference_data()
    {
        QTest::addColumn<I64s>("xShape");
        QTest::addColumn<I64s>("wShape");       // [C_in, C_out/g, kH, kW]
        QTest::addColumn<qint64>("group");
        QTest::addColumn<I64s>("strides");
        QTest::addColumn<I64s>("dilations");
        QTest::addColumn<I64s>("padsBegin");
        QTest::addColumn<I64s>("padsEnd");
        QTest::addColumn<I64s>("outputPadding");
        QTest::addColumn<qint64>("zp");
        QTest::addColumn<int>("seed");
        QTest::newRow("2x2 s2") << I64s{1, 8, 5, 5} << I64s{8, 4, 2, 2} << qint64(1) << I64s{2, 2} << I64s{} << I64s{} << I64s{} << I64s{} << qint64(128) << 21;
        QTest::newRow("3x3 s2 pad1 outpad1") << I64s{2, 6, 4, 6} << I64s{6, 5, 3, 3} << qint64(1) << I64s{2, 2} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << qint64(17) << 22;
        QTest::newRow("groups2") << I64s{1, 8, 5, 5} << I64s{8, 3, 3, 3} << qint64(2) << I64s{2, 2} << I64s{1, 1} << I64s{1, 0} << I64s{0, 1} << I64s{} << qint64(250) << 23;
        QTest::newRow("depthwise s2") << I64s{1, 6, 4, 4} << I64s{6, 1, 4, 4} << qint64(6) << I64s{2, 2} << I64s{1, 1} << I64s{1, 1} << I64s{1, 1} << I64s{} << qint64(90) << 24;
        QTest::newRow("stride1 dilation2") << I64s{1, 3, 6, 5} << I64s{3, 4, 3, 3} << qint64(1) << I64s{1, 1} << I64s{2, 2} << I64s{2, 1} << I64s{0, 2} << I64s{} << qint64(5) << 25;
        QTest::newRow("stride3 outpad2") << I64s{3, 4, 3, 3} << I64s{4, 2, 2, 2} << qint64(1) << I64s{3, 3} << I64s{1, 1} << I64s{} << I64s{} << I64s{2, 1} << qint64(60) << 26;
        QTest::newRow("1x1 stride2") << I64s{2, 5, 4, 3} << I64s{5, 3, 1, 1} << qint64(1) << I64s{2, 2} << I64s{} << I64s{} << I64s{} << I64s{1, 1} << qint64(200) << 28;
        QTest::newRow("stride4 dil2 k2 groups") << I64s{1, 4, 3, 4} << I64s{4, 2, 2, 2} << qint64(2) << I64s{4, 5} << I64s{2, 2} << I64s{1, 0} << I64s{0, 1} << I64s{3, 0} << qint64(7) << 29;
        QTest::newRow("1-D") << I64s{2, 4, 9} << I64s{4, 3, 4} << qint64(1) << I64s{2} << I64s{1} << I64s{1} << I64s{1} << I64s{} << qint64(33) << 27;
    }
    void convTransposeFastMatchesReference()
    {
        QFETCH(I64s, xShape);
        QFETCH(I64s, wShape);
        QFETCH(qint64, group);
        QFETCH(I64s, strides);
        QFETCH(I64s, dilations);
        QFETCH(I64s, padsBegin);
        QFETCH(I64s, padsEnd);
        QFETCH(I64s, outputPadding);
        QFETCH(qint64, zp);
        QFETCH(int, seed);
        std::mt19937 rng(static_cast<unsigned>(seed));
        const auto x = randomActivation(toVec(xShape), 8, zp, rng);
        const auto w = randomWeight(toVec(wShape), 8, rng);
        bg::IntConvTransposeParams p{"convT", group, toVec(strides), toVec(dilations),
                                     toVec(padsBegin), toVec(padsEnd), toVec(outputPadding)};
        const auto ref = bg::intConvTransposeReference(x, w, p);
        const auto fast = bg::intConvTransposeFast(x, w, p);
        QCOMPARE(fast.path, expectedFastPath(x.values, 0, w.values));
        QCOMPARE(fast.shape, ref.shape);
        QCOMPARE(fast.shape, bg::intConvTransposeOutputShape(x.shape, w.shape, p));
        QVERIFY(fast.values == ref.values);
        QCOMPARE(fast.overflowCount, ref.overflowCount);
        // The channels-last accumulators the group executor reads: the same sums, ordered [N, spatial..., C].
        const auto last = bg::intConvTransposeFastChannelsLast(x, w, p);
        QVERIFY(last.channelsLast);
        QCOMPARE(last.shape, ref.shape);
        QVERIFY(bg::accumulatorsChannelsFirst(last).values == ref.values);
        QCOMPARE(last.channelOverflows, ref.channelOverflows);
        // Codes written channels-last by their producer (a group whose only readers are Conv and
        // ConvTranspose groups): the same sums.
        const auto fromLast = bg::intConvTransposeFastChannelsLast(bg::activationChannelsLast(x), w, p);
        QVERIFY(bg::accumulatorsChannelsFirst(fromLast).values == ref.values);
        QCOMPARE(fromLast.path, fast.path);
    }

    void matMulFastMatchesReference_data()
    {
        QTest::addColumn<I64s>("aShape");
        QTest::addColumn<I64s>("bShape");
        QTest::addColumn<bool>("transB");
        QTest::addColumn<qint64>("zp");
        QTest::addColumn<int>("seed");
        QTest::newRow("gemm transB0") << I64s{4, 37} << I64s{37, 19} << false << qint64(128) << 31;
        QTest::newRow("gemm transB1") << I64s{5, 64} << I64s{10, 64} << true << qint64(255) << 32;
        QTest::newRow("gemm M1") << I64s{1, 200} << I64s{200, 7} << false << qint64(1) << 33;
        QTest::newRow("matmul rank3") << I64s{2, 3, 16} << I64s{16, 9} << false << qint64(70) << 34;
        QTest::newRow("matmul rank1") << I64s{23} << I64s{23, 5} << false << qint64(12) << 35;
        QTest::newRow("big K transB1") << I64s{3, 2048} << I64s{17, 2048} << true << qint64(128) << 36;
    }
    void matMulFastMatchesReference()
    {
        QFETCH(I64s, aShape);
        QFETCH(I64s, bShape);
        QFETCH(bool, transB);
        QFETCH(qint64, zp);
        QFETCH(int, seed);
        std::mt19937 rng(static_cast<unsigned>(seed));
        const auto a = randomActivation(toVec(aShape), 8, zp, rng);
        const auto b = randomWeight(toVec(bShape), 8, rng);
        const bg::IntMatMulParams p{"gemm", transB};
        const auto ref = bg::intMatMulReference(a, b, p);
        const auto fast = bg::intMatMulFast(a, b, p);
        QCOMPARE(fast.path, expectedFastPath(a.values, zp, b.values));
        QCOMPARE(fast.shape, ref.shape);
        QVERIFY(fast.values == ref.values);
    }

    // ---- sums beyond float32's integers -----------------------------------------------------
    // Codes near their largest and weights all positive, so no product cancels another: the sums
    // land far above 2^24, where a kernel that stores its int32 accumulators through float32
    // rounds them (oneDNN 2.6's jit_uni_int8 convolution does: docs/SPEC_NOTES.md "Integer
    // kernels" 5b). Whatever path the guards choose, the sums must be the reference's.
    void bigSumsStayExact_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<I64s>("xShape");
        QTest::addColumn<I64s>("wShape");
        QTest::addColumn<I64s>("strides");
        QTest::newRow("conv 3x3x512") << "conv" << I64s{1, 512, 5, 5} << I64s{8, 512, 3, 3} << I64s{};
        QTest::newRow("conv 1x1x4096") << "conv" << I64s{2, 4096, 3, 3} << I64s{8, 4096, 1, 1} << I64s{};
        QTest::newRow("conv near the int32 bound") << "conv" << I64s{1, 6144, 3, 3} << I64s{4, 6144, 3, 3} << I64s{};
        QTest::newRow("convT 2x2x2048 s2") << "convT" << I64s{1, 2048, 4, 4} << I64s{2048, 8, 2, 2} << I64s{2, 2};
        QTest::newRow("matmul K8192") << "matmul" << I64s{4, 8192} << I64s{8192, 8} << I64s{};
    }
    void bigSumsStayExact()
    {
        QFETCH(QString, op);
        QFETCH(I64s, xShape);
        QFETCH(I64s, wShape);
        QFETCH(I64s, strides);
        std::mt19937 rng(77);
        std::vector<uint8_t> xv(static_cast<size_t>(bg::shapeNumel(toVec(xShape))));
        for (auto& v : xv)
            v = static_cast<uint8_t>(std::uniform_int_distribution<int>(200, 255)(rng));
        std::vector<int8_t> wv(static_cast<size_t>(bg::shapeNumel(toVec(wShape))));
        for (auto& v : wv)
            v = static_cast<int8_t>(std::uniform_int_distribution<int>(100, 127)(rng));
        const auto x = activation(toVec(xShape), xv, 3);
        const auto w = weight(toVec(wShape), wv);
        bg::IntAccumulators ref, fast;
        if (op == "conv") {
            const bg::IntConvParams p{"conv", 1, {}, {}, {1, 1}, {1, 1}};
            ref = bg::intConvReference(x, w, p);
            fast = bg::intConvFast(x, w, p);
        } else if (op == "convT") {
            const bg::IntConvTransposeParams p{"convT", 1, toVec(strides), {}, {}, {}, {}};
            ref = bg::intConvTransposeReference(x, w, p);
            fast = bg::intConvTransposeFast(x, w, p);
        } else {
            ref = bg::intMatMulReference(x, w, {"mm", false});
            fast = bg::intMatMulFast(x, w, {"mm", false});
        }
        QCOMPARE(ref.overflowCount, qint64(0));
        const int32_t largest = *std::max_element(ref.values.begin(), ref.values.end());
        QVERIFY2(largest > (1 << 25), "the sums must leave float32's contiguous integers");
        QCOMPARE(fast.shape, ref.shape);
        size_t differing = 0;
        for (size_t i = 0; i < ref.values.size(); ++i)
            differing += ref.values[i] != fast.values[i];
        QVERIFY2(differing == 0, qPrintable(QString("%1 of %2 sums differ (path %3)")
                                                .arg(differing).arg(ref.values.size()).arg(int(fast.path))));
    }

    // ---- the ISA cap and the split path ----------------------------------------------------
    void isaCapIsInEffect()
    {
        // ctest's registrations under ONEDNN_MAX_CPU_ISA test what they say only if oneDNN obeys.
        const QByteArray cap = qgetenv("ONEDNN_MAX_CPU_ISA").toUpper();
        if (cap.isEmpty())
            QSKIP("no ONEDNN_MAX_CPU_ISA: the native ISA is tested");
        qInfo() << "ONEDNN_MAX_CPU_ISA" << cap << "effective ISA" << bg::intKernelInfo().isa.c_str();
        if (cap == "AVX2" || cap == "AVX512_CORE")
            QVERIFY(!bg::intDnnlHasVnni());
        if (cap == "AVX2")
            QVERIFY(dnnl::get_effective_cpu_isa() == dnnl::cpu_isa::avx2);
    }

    void extremeCodesByHandOnEveryPath()
    {
        // Every code at its extreme: without VNNI every pair of products would saturate int16
        // (255·127 + 255·127 = 64770), so this is where the split earns its keep.
        const int64_t m = 4, k = 64, n = 16;
        const auto a = activation({m, k}, std::vector<uint8_t>(static_cast<size_t>(m * k), 255), 5);
        const auto b = weight({k, n}, std::vector<int8_t>(static_cast<size_t>(k * n), 127));
        const auto r = bg::intMatMulFast(a, b, {"mm", false});
        QCOMPARE(r.path, expectedFastPath(a.values, 5, b.values));
        for (int32_t v : r.values)
            QCOMPARE(v, 127 * (255 - 5) * 64);  // by hand
        const auto neg = weight({k, n}, std::vector<int8_t>(static_cast<size_t>(k * n), -127));
        for (int32_t v : bg::intMatMulFast(a, neg, {"mm", false}).values)
            QCOMPARE(v, -127 * (255 - 5) * 64);

        // A 3×3 convolution over all-255 codes with zp 0 and padding 1: the centre output reads
        // nine taps per channel, the corner four.
        const auto x = activation({1, 8, 4, 4}, std::vector<uint8_t>(8 * 16, 255), 0);
        const auto w = weight({2, 8, 3, 3}, std::vector<int8_t>(2 * 8 * 9, 127));
        const bg::IntConvParams p{"conv", 1, {}, {}, {1, 1}, {1, 1}};
        const auto c = bg::intConvFast(x, w, p);
        QCOMPARE(c.path, expectedFastPath(x.values, 0, w.values));
        QCOMPARE(c.values[0], 255 * 127 * 8 * 4);
        QCOMPARE(c.values[5], 255 * 127 * 8 * 9);

        const auto wt = weight({8, 3, 2, 2}, std::vector<int8_t>(8 * 3 * 4, -127));
        const bg::IntConvTransposeParams tp{"convT", 1, {2, 2}, {}, {}, {}, {}};
        const auto t = bg::intConvTransposeFast(x, wt, tp);
        QCOMPARE(t.path, expectedFastPath(x.values, 1, wt.values));
        for (int32_t v : t.values)
            QCOMPARE(v, -127 * 255 * 8);  // stride = kernel: one tap per input channel
    }

    void splitPathRunsWithoutVnni()
    {
        if (bg::intDnnlHasVnni())
            QSKIP("VNNI: one primitive is exact at every width (the ISA-capped registrations test the split)");
        std::mt19937 rng(51);
        const auto x = randomActivation({2, 16, 9, 9}, 8, 131, rng);
        const auto w = randomWeight({24, 16, 3, 3}, 8, rng);
        const bg::IntConvParams p{"conv", 1, {1, 1}, {1, 1}, {1, 1}, {1, 1}};
        const auto fast = bg::intConvFast(x, w, p);
        QCOMPARE(fast.path, bg::IntKernelPath::OneDnnSplit);
        QVERIFY(fast.values == bg::intConvReference(x, w, p).values);
        // At 4-bit weights the pair sums fit (2·255·7 = 3570): one primitive, as it is.
        const auto w4 = randomWeight({24, 16, 3, 3}, 4, rng);
        const auto fast4 = bg::intConvFast(x, w4, p);
        QCOMPARE(fast4.path, bg::IntKernelPath::OneDnn);
        QVERIFY(fast4.values == bg::intConvReference(x, w4, p).values);
    }

    // ---- determinism ----------------------------------------------------------------------
    void fastConvSameBytesAcrossThreadCounts()
    {
        std::mt19937 rng(41);
        const auto x = randomActivation({2, 32, 20, 20}, 8, 120, rng);
        const auto w = randomWeight({48, 32, 3, 3}, 8, rng);
        const bg::IntConvParams p{"conv", 1, {1, 1}, {1, 1}, {1, 1}, {1, 1}};
        const int saved = omp_get_max_threads();
        omp_set_num_threads(1);
        const auto one = bg::intConvFast(x, w, p);
        omp_set_num_threads(2);
        const auto two = bg::intConvFast(x, w, p);
        omp_set_num_threads(saved);
        QCOMPARE(one.path, expectedFastPath(x.values, 120, w.values));
        QCOMPARE(two.path, one.path);
        QCOMPARE(one.values.size(), two.values.size());
        QVERIFY(std::memcmp(one.values.data(), two.values.data(), one.values.size() * sizeof(int32_t)) == 0);
    }

    // ---- accumulator overflow -------------------------------------------------------------
    void kernelOverflowIsSaturatedAndCounted()
    {
        // 70000 products of 255·127 = 2,266,950,000 > 2^31 − 1: the exact sum leaves int32.
        const int64_t k = 70000;
        auto a = activation({1, k}, std::vector<uint8_t>(static_cast<size_t>(k), 255), 0);
        std::vector<int8_t> wv(static_cast<size_t>(2 * k));
        for (int64_t i = 0; i < k; ++i) {
            wv[static_cast<size_t>(2 * i)] = 127;       // column 0: + overflow
            wv[static_cast<size_t>(2 * i + 1)] = -127;  // column 1: − overflow
        }
        const auto b = weight({k, 2}, wv);
        const bg::IntMatMulParams p{"huge", false};
        for (const auto& r : {bg::intMatMulReference(a, b, p), bg::intMatMulFast(a, b, p)}) {
            QCOMPARE(r.overflowCount, qint64(2));
            QCOMPARE(r.channelOverflows, (std::vector<int64_t>{1, 1}));
            QCOMPARE(r.values, ints({std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()}));
        }
        // The fast path must not trust oneDNN here (its s32 sum would wrap).
        QCOMPARE(bg::intMatMulFast(a, b, p).path, bg::IntKernelPath::Reference);

        // The same through a 1×1 convolution with 70000 input channels.
        const auto xc = activation({1, k, 1, 1}, std::vector<uint8_t>(static_cast<size_t>(k), 255), 0);
        // Channel 0 overflows, channel 1 (weights 1) does not: counted per channel.
        std::vector<int8_t> wcv(static_cast<size_t>(2 * k), 127);
        std::fill(wcv.begin() + k, wcv.end(), int8_t{1});
        const auto wc = weight({2, k, 1, 1}, wcv);
        const bg::IntConvParams cp{"huge", 1, {}, {}, {}, {}};
        for (const auto& rc : {bg::intConvReference(xc, wc, cp), bg::intConvFast(xc, wc, cp)}) {
            QCOMPARE(rc.overflowCount, qint64(1));
            QCOMPARE(rc.channelOverflows, (std::vector<int64_t>{1, 0}));
            QCOMPARE(rc.values, ints({std::numeric_limits<int32_t>::max(), 255 * 70000}));
        }
        // And through ConvTranspose (each output gets one product per input channel).
        const bg::QuantWeight wt{{k, 2, 1, 1}, [&] {
                                     std::vector<int8_t> v(static_cast<size_t>(2 * k), -127);
                                     for (int64_t i = 0; i < k; ++i)
                                         v[static_cast<size_t>(2 * i + 1)] = 3;
                                     return v;
                                 }(), 8};
        const bg::IntConvTransposeParams tp{"hugeT", 1, {}, {}, {}, {}, {}};
        for (const auto& rt : {bg::intConvTransposeReference(xc, wt, tp), bg::intConvTransposeFast(xc, wt, tp)}) {
            QCOMPARE(rt.overflowCount, qint64(1));
            QCOMPARE(rt.channelOverflows, (std::vector<int64_t>{1, 0}));
            QCOMPARE(rt.values, ints({std::numeric_limits<int32_t>::min(), 3 * 255 * 70000}));
        }
    }

    // requantize reads a fast Conv's channels-last accumulators (a tile of pixels at a time, two
    // channels at once in SSE2 for the exact arithmetic) and must give what it gives for the same
    // accumulators channels-first, in every arithmetic: random sums over the whole int32 range, pre
    // biases that overflow, multipliers that are 0, NaN, infinite or push |M·t| past 2^31, odd and
    // even channel counts, a spatial size that is not a multiple of the tile, a clamp.
    void requantizeChannelsLastMatchesChannelsFirst_data()
    {
        QTest::addColumn<int>("form");  // 0 exact, 1 even (onnxruntime float chain), 2 ORT fused, 3 ORT chain
        QTest::addColumn<qint64>("channels");
        QTest::addColumn<qint64>("spatial");
        for (int form = 0; form < 4; ++form)
            for (qint64 c : {qint64(1), qint64(7), qint64(12), qint64(16), qint64(19)})
                for (qint64 hw : {qint64(1), qint64(100), qint64(129), qint64(4100)})
                    QTest::addRow("form %d, %lld channels, %lld pixels", form, static_cast<long long>(c),
                                  static_cast<long long>(hw)) << form << c << hw;
    }
    void requantizeChannelsLastMatchesChannelsFirst()
    {
        QFETCH(int, form);
        QFETCH(qint64, channels);
        QFETCH(qint64, spatial);
        std::mt19937 rng(static_cast<unsigned>(form * 1000 + channels * 10 + spatial));
        const int64_t batch = 2;
        bg::IntAccumulators first;
        first.shape = {batch, channels, 1, spatial};
        first.values.resize(static_cast<size_t>(batch * channels * spatial));
        std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
        std::uniform_int_distribution<int32_t> small(-400, 400);
        for (auto& v : first.values)
            v = rng() % 4 == 0 ? any(rng) : small(rng);
        first.values[0] = std::numeric_limits<int32_t>::max() - 1;  // + channel 0's pre bias: an overflow
        bg::IntAccumulators last = first;
        last.channelsLast = true;
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t c = 0; c < channels; ++c)
                for (int64_t i = 0; i < spatial; ++i)
                    last.values[static_cast<size_t>((n * spatial + i) * channels + c)] =
                        first.values[static_cast<size_t>((n * channels + c) * spatial + i)];
        QVERIFY(bg::accumulatorsChannelsFirst(last).values == first.values);

        bg::RequantizeParams rp;
        rp.zeroPoint = 100;
        rp.clampMin = 3;
        rp.clampMax = 250;
        rp.arithmetic = form == 0 ? bg::Arithmetic::Exact : bg::Arithmetic::OnnxRuntime;
        const double special[] = {0.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                  3.0, 0.5, -0.5, -1e-3, 2.5e-4};  // ±0.5: ties at every odd t
        std::uniform_real_distribution<double> scale(-2e-3, 2e-3);
        for (int64_t c = 0; c < channels; ++c) {
            const double m = c < 8 && channels > 1 ? special[c] : scale(rng);
            rp.multiplier.push_back(m);
            rp.preBias.push_back(c % 3 == 0 ? std::numeric_limits<int32_t>::max() - 5 : small(rng));
            rp.postBias.push_back(c % 2 == 0 ? -7 : 12);
            if (form == 2)
                rp.multiplierOrt.push_back(static_cast<float>(m));
            if (form == 3) {
                rp.chainScale.push_back(static_cast<float>(m));
                rp.chainPost.push_back(static_cast<float>(0.5 * static_cast<double>(c)));
            }
        }
        if (form >= 2)
            rp.postBias.clear();
        rp.outputScale = 0.02f;
        const auto a = bg::requantize(first, 1, rp, "layer");
        const auto b = bg::requantize(last, 1, rp, "layer");
        QCOMPARE(b.output.shape, a.output.shape);
        QVERIFY(b.output.values == a.output.values);
        QCOMPARE(b.biasOverflows, a.biasOverflows);
        QCOMPARE(b.biasChannelOverflows, a.biasChannelOverflows);
        QVERIFY(a.biasOverflows > 0);  // the saturating pre biases were reached
        // Every loop width the CPU has, down to the scalar form, in either order: the same codes
        // and counts as the scalar form channels-first.
        rp.simd = bg::RequantizeSimd::Scalar;
        const auto scalar = bg::requantize(first, 1, rp, "layer");
        QVERIFY(scalar.output.values == a.output.values);
        for (const auto simd : {bg::RequantizeSimd::Sse2, bg::RequantizeSimd::Avx2, bg::RequantizeSimd::Avx512})
            for (const bg::IntAccumulators* order : {&first, &last}) {
                rp.simd = simd;
                const auto c = bg::requantize(*order, 1, rp, "layer");
                QVERIFY2(c.output.values == scalar.output.values,
                         qPrintable(QString("width %1, %2").arg(int(simd)).arg(order == &last ? "channels-last" : "channels-first")));
                QCOMPARE(c.biasChannelOverflows, scalar.biasChannelOverflows);
            }
        // Codes written channels-last (for a fast Conv to read): the same codes, transposed, from
        // every width and either order of the accumulators.
        rp.channelsLastOutput = true;
        const bg::QuantActivation scalarLast = bg::activationChannelsLast(scalar.output);
        for (const auto simd : {bg::RequantizeSimd::Scalar, bg::RequantizeSimd::Sse2, bg::RequantizeSimd::Avx2,
                                bg::RequantizeSimd::Avx512})
            for (const bg::IntAccumulators* order : {&first, &last}) {
                rp.simd = simd;
                const auto c = bg::requantize(*order, 1, rp, "layer");
                QVERIFY(c.output.channelsLast);
                QVERIFY2(c.output.values == scalarLast.values, qPrintable(QString("channels-last codes, width %1").arg(int(simd))));
            }
        rp.channelsLastOutput = false;
        // A code table applied on the way out (a chain only this output feeds): the table of the
        // codes above, per channel or one for all, in either order.
        std::vector<uint8_t> table(static_cast<size_t>(channels) * 256);
        for (auto& v : table)
            v = static_cast<uint8_t>(rng());
        rp.simd = bg::RequantizeSimd::Avx512;
        rp.codeTable = table.data();
        for (const bool perChannel : {false, true}) {
            rp.codeTablePerChannel = perChannel;
            for (const bg::IntAccumulators* order : {&first, &last}) {
                const auto looked = bg::requantize(*order, 1, rp, "layer");
                for (size_t i = 0; i < looked.output.values.size(); ++i) {
                    const size_t c = perChannel ? (i / static_cast<size_t>(spatial)) % static_cast<size_t>(channels) : 0;
                    QCOMPARE(looked.output.values[i], table[c * 256 + scalar.output.values[i]]);
                }
                rp.channelsLastOutput = true;
                const auto lookedLast = bg::requantize(*order, 1, rp, "layer");
                rp.channelsLastOutput = false;
                QVERIFY(bg::activationChannelsFirst(lookedLast.output).values == looked.output.values);
            }
        }
    }

    void biasAdditionOverflowIsCounted()
    {
        int64_t count = 0;
        const int32_t hi = std::numeric_limits<int32_t>::max();
        const int32_t lo = std::numeric_limits<int32_t>::min();
        QCOMPARE(bg::addBiasChecked(hi - 5, 5, count), hi);
        QCOMPARE(count, qint64(0));
        QCOMPARE(bg::addBiasChecked(hi - 5, 6, count), hi);
        QCOMPARE(count, qint64(1));
        QCOMPARE(bg::addBiasChecked(lo + 1, -2, count), lo);
        QCOMPARE(count, qint64(2));
        QCOMPARE(bg::addBiasChecked(-7, 32767, count), 32760);
        QCOMPARE(count, qint64(2));

        // Through requantize: channel 1's bias pushes one element over; kernel overflows carry.
        bg::IntAccumulators acc{{1, 2, 2}, {0, hi - 1, hi - 1, 5}, 3, bg::IntKernelPath::Reference, {}};
        bg::RequantizeParams rp;
        rp.multiplier = {1.0, 1.0e-9};
        rp.preBias = {0, 2};
        const auto r = bg::requantize(acc, 1, rp, "layer");
        QCOMPARE(r.biasOverflows, qint64(1));
        QCOMPARE(r.kernelOverflows, qint64(3));
        QCOMPARE(r.totalOverflows(), qint64(4));
        QCOMPARE(r.biasChannelOverflows, (std::vector<int64_t>{0, 1}));
        // Channel 0: 0 -> 0, INT32_MAX−1 -> clamp 255. Channel 1: saturated INT32_MAX·1e-9 = 2.147 -> 2;
        // 5 + 2 = 7 -> 7e-9 -> 0.
        QCOMPARE(r.output.values, (std::vector<uint8_t>{0, 255, 2, 0}));
    }

    // ---- requantization -------------------------------------------------------------------
    void requantizeValue_data()
    {
        QTest::addColumn<int>("t");
        QTest::addColumn<double>("m");
        QTest::addColumn<qint64>("post");
        QTest::addColumn<qint64>("zp");
        QTest::addColumn<int>("bits");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("half up") << 3 << 0.5 << qint64(0) << qint64(10) << 8 << qint64(12);     // 1.5 -> 2
        QTest::newRow("half down negative") << -3 << 0.5 << qint64(0) << qint64(10) << 8 << qint64(8);  // -1.5 -> -2
        QTest::newRow("below half") << 5 << 0.25 << qint64(0) << qint64(0) << 8 << qint64(1);   // 1.25 -> 1
        QTest::newRow("clamp high") << 1000 << 1.0 << qint64(0) << qint64(0) << 8 << qint64(255);
        QTest::newRow("clamp low") << -1000 << 1.0 << qint64(0) << qint64(128) << 8 << qint64(0);
        QTest::newRow("4-bit clamp") << 20 << 1.0 << qint64(0) << qint64(0) << 4 << qint64(15);
        QTest::newRow("post bias after rounding") << 3 << 0.5 << qint64(-5) << qint64(10) << 8 << qint64(7);  // 10+2-5
        QTest::newRow("post bias clamps") << 0 << 1.0 << qint64(300) << qint64(0) << 8 << qint64(255);
        QTest::newRow("constant channel") << 12345 << 0.0 << qint64(9) << qint64(4) << 8 << qint64(13);
        QTest::newRow("huge multiplier saturates") << 1 << 1.0e300 << qint64(0) << qint64(0) << 8 << qint64(255);
    }
    void requantizeValue()
    {
        QFETCH(int, t);
        QFETCH(double, m);
        QFETCH(qint64, post);
        QFETCH(qint64, zp);
        QFETCH(int, bits);
        QFETCH(qint64, expected);
        QCOMPARE(bg::requantizeValue(t, m, post, zp, 0, bg::activationQmax(bits)), expected);
    }

    void requantizeValueNaNAndClamp()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        // A NaN multiplier, or an infinite one times t = 0: real 0 (zp), whatever post says ...
        QCOMPARE(bg::requantizeValue(7, nan, 3, 40, 0, 255), qint64(40));
        QCOMPARE(bg::requantizeValue(0, inf, 3, 40, 0, 255), qint64(40));
        // ... clamped like any output (a fused Relu above zp).
        QCOMPARE(bg::requantizeValue(7, nan, 0, 40, 50, 255), qint64(50));
        QCOMPARE(bg::requantizeValue(-2, inf, 0, 40, 0, 255), qint64(0));
        // A fused Clip's code range: [20, 25].
        QCOMPARE(bg::requantizeValue(100, 1.0, 0, 20, 20, 25), qint64(25));
        QCOMPARE(bg::requantizeValue(-100, 1.0, 0, 20, 20, 25), qint64(20));
        // A constant channel's large post part (round(b'/s_y) beyond 32 bits) saturates.
        QCOMPARE(bg::requantizeValue(0, 0.0, int64_t{1} << 40, 0, 0, 255), qint64(255));
        QCOMPARE(bg::requantizeValue(0, 0.0, -(int64_t{1} << 40), 0, 0, 255), qint64(0));
    }

    void requantizePerChannel()
    {
        // Conv accumulators [1, 2, 1, 2]: channel 0 = {10, −10}, channel 1 = {7, 8}.
        bg::IntAccumulators acc{{1, 2, 1, 2}, {10, -10, 7, 8}, 0, bg::IntKernelPath::Reference, {}};
        bg::RequantizeParams rp;
        rp.multiplier = {0.5, 0.1};
        rp.preBias = {1, -2};      // t = {11, −9 | 5, 6}
        rp.postBias = {0, 3};
        rp.zeroPoint = 20;
        // ch0: 20 + round(5.5)=6 -> 26; 20 + round(−4.5)=−5 -> 15.
        // ch1: 20 + round(0.5)=1 + 3 -> 24; 20 + round(0.6)=1 + 3 -> 24.
        const auto r = bg::requantize(acc, 1, rp, "layer");
        QCOMPARE(r.output.values, (std::vector<uint8_t>{26, 15, 24, 24}));
        QCOMPARE(r.output.zeroPoint, qint64(20));
        QCOMPARE(r.totalOverflows(), qint64(0));
        // Gemm layout: channel is the last axis.
        bg::IntAccumulators g{{2, 2}, {10, 7, -10, 8}, 0, bg::IntKernelPath::Reference, {}};
        QCOMPARE(bg::requantize(g, 1, rp, "gemm").output.values, (std::vector<uint8_t>{26, 24, 15, 24}));
        // A fused Relu6-like clamp of the codes: [20, 25].
        rp.clampMin = 20;
        rp.clampMax = 25;
        QCOMPARE(bg::requantize(acc, 1, rp, "layer").output.values, (std::vector<uint8_t>{25, 20, 24, 24}));
        rp.clampMax = 256;  // beyond 8 bits
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::requantize(acc, 1, rp, "layer"));
        // A NaN multiplier (a zero-variance channel) runs: that channel's codes are zp.
        rp.clampMin = 0;
        rp.clampMax = -1;
        rp.multiplier = {0.5, std::numeric_limits<double>::quiet_NaN()};
        QCOMPARE(bg::requantize(acc, 1, rp, "layer").output.values, (std::vector<uint8_t>{26, 15, 20, 20}));
        // A 3-D MatMul layout [batch, rows, channels]: the channel is the last axis.
        bg::IntAccumulators m{{2, 1, 2}, {10, 7, -10, 8}, 0, bg::IntKernelPath::Reference, {}};
        rp.multiplier = {0.5, 0.1};
        QCOMPARE(bg::requantize(m, 2, rp, "matmul").output.values, (std::vector<uint8_t>{26, 24, 15, 24}));
    }

    // ---- errors ---------------------------------------------------------------------------
    void rejectsBadInputs()
    {
        const bg::IntConvParams p{"conv", 1, {}, {}, {}, {}};
        const auto x = activation({1, 1, 2, 2}, {1, 2, 3, 4}, 0);
        try {
            bg::intConvFast(x, weight({1, 1, 1, 1}, {-128}), p);  // outside narrow range
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::BadInput);
            QCOMPARE(QString::fromStdString(e.subject()), QString("conv"));
        }
        try {
            bg::intConvReference(activation({1, 1, 2, 2}, {1, 2, 3, 16}, 0, 4), weight({1, 1, 1, 1}, {1}), p);
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::BadInput);
        }
        try {
            bg::intConvReference(x, weight({1, 2, 1, 1}, {1, 1}), p);  // channel mismatch
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        try {
            bg::intMatMulFast(activation({1, 3}, {1, 2, 3}, 0), weight({2, 2}, {1, 1, 1, 1}), {"mm", false});
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QCOMPARE(e.code(), bg::ErrorCode::ShapeMismatch);
        }
        bg::RequantizeParams rp;
        rp.multiplier = {1.0};  // one value for two channels
        bg::IntAccumulators acc{{1, 2}, {1, 2}, 0, bg::IntKernelPath::Reference, {}};
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::requantize(acc, 1, rp, "layer"));
    }
};

QTEST_APPLESS_MAIN(TestIntKernels)
#include "tst_int_kernels.moc"
