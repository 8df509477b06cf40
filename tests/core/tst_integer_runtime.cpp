// The integer pipeline of QUANT_SPEC §4, §6, §7 on hand-built models. Expected integer outputs come
// from an independent plain-loop implementation of the spec's formulas in this file (1x1
// convolutions, so every output element is one small dot product a reader can follow).
#include "common/prepared_runtime.h"
#include "export/onnx_builder.h"
#include "fix/fix_plan.h"
#include "model/model_loader.h"
#include "integer/integer_runtime.h"
#include "arithmetic/quant_math.h"

#include <QtTest>

#include <malloc.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

using bg::OnnxBuilder;
using bg::Strategy;
using bg::Tensor;

namespace {

Tensor vec(std::vector<float> v)
{
    const auto n = static_cast<int64_t>(v.size());
    return Tensor({n}, std::move(v));
}

// The tiny model: x [1,2,3,3] -> Conv 1x1 (3 channels, bias) -> BN -> activation.
// Channel 1 has gamma = 1e-6: its merged bias b'/(s_w·s_x) is ~6e8, far beyond 16 bits.
const std::vector<float> kW = {0.5f, -0.25f, 1.0f, 0.5f, -0.75f, 0.25f};  // [3,2,1,1]
const std::vector<float> kB = {0.1f, 0.0f, -0.2f};
const std::vector<float> kGamma = {1.0f, 1e-6f, 0.5f};
const std::vector<float> kBeta = {0.2f, 0.7f, -0.1f};
const std::vector<float> kMean = {0.05f, 3.0f, 0.0f};
const std::vector<float> kVar = {1.0f, 1.0f, 0.25f};
constexpr float kEps = 1e-5f;

enum class Act { None, Relu, Clip6 };

bg::Graph buildModel(bool withBn, Act act, std::vector<float> w = kW)
{
    OnnxBuilder b(13);
    b.input("x", {1, 2, 3, 3}).output("y");
    b.initializer("W", Tensor({3, 2, 1, 1}, std::move(w))).initializer("B", vec(kB));
    b.node("Conv", {"x", "W", "B"}, {"z"}, {}, "conv1");
    const char* last = "z";
    if (withBn) {
        b.initializer("g", vec(kGamma)).initializer("beta", vec(kBeta)).initializer("mu", vec(kMean));
        b.initializer("v", vec(kVar));
        b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"n"}, {{"epsilon", kEps}}, "bn1");
        last = "n";
    }
    if (act == Act::Relu) {
        b.node("Relu", {last}, {"y"}, {}, "relu1");
    } else if (act == Act::Clip6) {
        b.initializer("lo", Tensor::scalar(0.0f)).initializer("hi", Tensor::scalar(6.0f));
        b.node("Clip", {last, "lo", "hi"}, {"y"}, {}, "clip1");
    } else {
        b.node("Identity", {last}, {"y"}, {}, "id");
    }
    return bg::loadModelFromBytes(b.serialize(), "tiny.onnx");
}

bg::TensorRange range(double lo, double hi) { return bg::TensorRange{lo, hi, false, 1}; }

bg::RangeTable tinyRanges(double yHi = 2.0)
{
    bg::RangeTable r;
    r["x"] = range(-1.0, 1.0);
    r["z"] = range(-2.0, 2.0);
    r["n"] = range(-1.0, yHi);
    r["y"] = range(0.0, yHi);
    return r;
}

Tensor tinyInput()
{
    std::vector<float> v(18);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(-1.0 + 2.0 * static_cast<double>((i * 7) % 18) / 17.0);
    return Tensor({1, 2, 3, 3}, std::move(v));
}

// Independent §4/§6 naive fold of the tiny 1x1 model (output codes, channel-major).
struct Reference {
    double sx, sy;
    int64_t zpx, zpy;
    std::vector<int64_t> codes;  // [3][9]
};

Reference naiveReference(bool withBn, bool perTensor, double yHi, int64_t qlo, int64_t qhi,
                         const std::vector<float>& w = kW)
{
    Reference ref;
    // §4's scales as BiasGuard holds them, the nearest float32 (SPEC_NOTES "QDQ export"); zp from
    // the exact scale.
    ref.sx = static_cast<double>(static_cast<float>(2.0 / 255.0));
    ref.zpx = static_cast<int64_t>(std::round(1.0 / (2.0 / 255.0)));  // round(127.5) = 128
    ref.sy = static_cast<double>(static_cast<float>(yHi / 255.0));
    ref.zpy = 0;
    const Tensor x = tinyInput();
    std::vector<int64_t> qx(18);
    for (size_t i = 0; i < 18; ++i)
        qx[i] = std::clamp<int64_t>(static_cast<int64_t>(std::round(x.floats()[i] / ref.sx)) + ref.zpx, 0, 255);
    double a[3], bf[3], wf[3][2], sw[3];
    double layerMax = 0;
    for (int c = 0; c < 3; ++c) {
        a[c] = withBn ? double(kGamma[c]) / std::sqrt(double(kVar[c]) + double(kEps)) : 1.0;
        bf[c] = withBn ? a[c] * (double(kB[c]) - double(kMean[c])) + double(kBeta[c]) : double(kB[c]);
        wf[c][0] = a[c] * double(w[2 * c]);
        wf[c][1] = a[c] * double(w[2 * c + 1]);
        sw[c] = std::max(std::fabs(wf[c][0]), std::fabs(wf[c][1])) / 7.0;  // Q_w = 7 at 4 bits
        layerMax = std::max(layerMax, sw[c]);
    }
    for (int c = 0; c < 3; ++c) {
        const double s = perTensor ? layerMax : sw[c];
        const int64_t q0 = std::clamp<int64_t>(static_cast<int64_t>(std::round(wf[c][0] / s)), -7, 7);
        const int64_t q1 = std::clamp<int64_t>(static_cast<int64_t>(std::round(wf[c][1] / s)), -7, 7);
        const double qbExact = std::round(bf[c] / (s * ref.sx));
        const int64_t qb = static_cast<int64_t>(std::clamp(qbExact, -32768.0, 32767.0));
        for (int p = 0; p < 9; ++p) {
            const int64_t acc = q0 * (qx[static_cast<size_t>(p)] - ref.zpx) + q1 * (qx[static_cast<size_t>(9 + p)] - ref.zpx);
            const double y = double(ref.zpy) + std::round(s * ref.sx / ref.sy * double(acc + qb));
            ref.codes.push_back(std::clamp<int64_t>(static_cast<int64_t>(y), qlo, qhi));
        }
    }
    return ref;
}

std::vector<int64_t> codesOf(const Tensor& y, double sy)
{
    std::vector<int64_t> out;
    for (float v : y.floats())
        out.push_back(static_cast<int64_t>(std::llround(double(v) / sy)));
    return out;
}

double foldedBias(int c)
{
    const double a = double(kGamma[c]) / std::sqrt(double(kVar[c]) + double(kEps));
    return a * (double(kB[c]) - double(kMean[c])) + double(kBeta[c]);
}

bg::IntegerRunResult runTiny(const bg::Graph& g, Strategy s, bg::QuantSettings settings = {},
                             const bg::RangeTable& ranges = tinyRanges())
{
    const bgtest::PreparedRuntime prepared(g, ranges, settings, bg::FixPlan(s));
    const bg::IntegerRuntime& rt = prepared.rt;
    return rt.run({{"x", tinyInput()}});
}

// A larger model for determinism: 3x3 convolutions big enough for oneDNN, float ops in between.
bg::Graph buildDeterminismModel()
{
    OnnxBuilder b(13);
    b.input("x", {1, 4, 20, 20}).output("y");
    std::vector<float> w1(16 * 4 * 9), w2(8 * 16 * 9);
    uint32_t s = 12345;
    auto next = [&] { s = s * 1664525u + 1013904223u; return static_cast<float>((s >> 8) % 2001) / 1000.0f - 1.0f; };
    for (float& v : w1) v = next();
    for (float& v : w2) v = next() * 0.2f;
    std::vector<float> g(16), beta(16), mu(16), var(16);
    for (size_t c = 0; c < 16; ++c) {
        g[c] = c == 3 ? 1e-7f : 0.5f + 0.1f * float(c);
        beta[c] = 0.1f * float(c) - 0.5f;
        mu[c] = 0.05f * float(c);
        var[c] = 1.0f + 0.2f * float(c);
    }
    b.initializer("W1", Tensor({16, 4, 3, 3}, w1)).initializer("W2", Tensor({8, 16, 3, 3}, w2));
    b.initializer("g", vec(g)).initializer("beta", vec(beta)).initializer("mu", vec(mu)).initializer("v", vec(var));
    b.node("Conv", {"x", "W1"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv1");
    b.node("BatchNormalization", {"z", "g", "beta", "mu", "v"}, {"n"}, {}, "bn1");
    b.node("Relu", {"n"}, {"r"}, {}, "relu1");
    b.node("Sigmoid", {"r"}, {"s"}, {}, "sig");
    b.node("Mul", {"r", "s"}, {"m"}, {}, "mul");
    b.node("Conv", {"m", "W2"}, {"y"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv2");
    return bg::loadModelFromBytes(b.serialize(), "det.onnx");
}

Tensor determinismInput()
{
    std::vector<float> v(4 * 20 * 20);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(std::sin(0.37 * double(i)));
    return Tensor({1, 4, 20, 20}, std::move(v));
}

bg::RangeTable determinismRanges()
{
    bg::RangeTable r;
    r["x"] = range(-1, 1);
    r["z"] = range(-6, 6);
    r["n"] = range(-3, 4);
    r["r"] = range(0, 4);
    r["s"] = range(0.5, 1);
    r["m"] = range(0, 4);
    r["y"] = range(-5, 5);
    return r;
}

// x -> Conv (W1: sin weights, conv1Attrs) -> Relu -> `second` (W2: cos weights, secondAttrs) -> y,
// calibrated by hand, run once with the fast kernels and once with the reference kernels on a sin
// input: for the tests of what one layer hands the next.
struct FastAndReference {
    bg::IntegerRunResult fast, ref;
};
FastAndReference runConvReluThen(const std::vector<int64_t>& xShape, const std::vector<int64_t>& w1Shape,
                                 const std::vector<OnnxBuilder::Attr>& conv1Attrs, const std::string& second,
                                 const std::vector<int64_t>& w2Shape, const std::vector<OnnxBuilder::Attr>& secondAttrs)
{
    OnnxBuilder b(13);
    b.input("x", xShape).output("y");
    std::vector<float> w1(static_cast<size_t>(bg::shapeNumel(w1Shape))), w2(static_cast<size_t>(bg::shapeNumel(w2Shape)));
    for (size_t i = 0; i < w1.size(); ++i)
        w1[i] = static_cast<float>(std::sin(0.7 * double(i)));
    for (size_t i = 0; i < w2.size(); ++i)
        w2[i] = static_cast<float>(0.3 * std::cos(0.4 * double(i)));
    b.initializer("W1", Tensor(w1Shape, w1)).initializer("W2", Tensor(w2Shape, w2));
    b.node("Conv", {"x", "W1"}, {"z"}, conv1Attrs, "conv1");
    b.node("Relu", {"z"}, {"r"}, {}, "relu1");
    b.node(second, {"r", "W2"}, {"y"}, secondAttrs, "second");
    const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "conv_relu_then.onnx");
    bg::RangeTable r;
    r["x"] = range(-1, 1);
    r["z"] = range(-4, 4);
    r["r"] = range(0, 4);
    r["y"] = range(-6, 6);
    const bgtest::PreparedRuntime prepared(g, r, {}, bg::FixPlan(Strategy::Auto));
    std::vector<float> xv(static_cast<size_t>(bg::shapeNumel(xShape)));
    for (size_t i = 0; i < xv.size(); ++i)
        xv[i] = static_cast<float>(std::sin(0.23 * double(i)));
    bg::TensorMap inputs;
    inputs["x"] = Tensor(xShape, xv);
    bg::IntegerRunOptions refOpt;
    refOpt.referenceKernels = true;
    return {prepared.rt.run(inputs), prepared.rt.run(inputs, refOpt)};
}

} // namespace

class TestIntegerRuntime : public QObject {
    Q_OBJECT
private slots:
    // While a runtime exists (and its copies), a 20 MB buffer comes from the heap and is reused
    // run after run, not mmap'ed and faulted in afresh; once the last copy is gone, glibc maps
    // such a buffer on its own again (mallinfo2().hblkhd counts the mmap'ed bytes).
    void largeBuffersReusedWhileARuntimeExists()
    {
        constexpr size_t kBytes = size_t{20} << 20;  // between the 12 MiB threshold and 32 MiB
        const auto mmapped = [] {
            const size_t before = mallinfo2().hblkhd;
            void* volatile block = std::malloc(kBytes);
            const size_t during = mallinfo2().hblkhd;
            std::free(block);
            return during >= before + kBytes;
        };
        bg::tuneAllocatorForTensors();
        QVERIFY(mmapped());
        const bg::Graph g = buildModel(true, Act::Relu);
        const auto model = bg::makeModelStructure(g);
        const bg::RangeTable ranges = tinyRanges();
        const bg::FoldAnalysis analysis = bg::analyzeFolds(model->graph, model->pairs, bg::QuantSettings{}, ranges);
        {
            std::optional<bg::IntegerRuntime> rt(std::in_place, *model, ranges, analysis, bg::FixPlan(Strategy::Clamp));
            QVERIFY(!mmapped());
            const bg::IntegerRuntime copy = *rt;
            rt.reset();
            QVERIFY2(!mmapped(), "a copy of the runtime keeps the scope");
        }
        QVERIFY(mmapped());
    }

    void groupsOfTheTinyModel()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        const bgtest::PreparedRuntime prepared(g, tinyRanges(), {}, bg::FixPlan(Strategy::Clamp));
        const bg::IntegerRuntime& rt = prepared.rt;
        QCOMPARE(rt.groups().groups.size(), size_t(1));
        const bg::FusionGroup& grp = rt.groups().groups[0];
        QVERIFY(grp.hasBn);
        QCOMPARE(grp.name, std::string("conv1"));
        QCOMPARE(grp.groupOutput, std::string("y"));
        QCOMPARE(grp.nodes.size(), size_t(3));
        QCOMPARE(rt.staticStats().floatNodes, int64_t(0));
        // Channel 1 saturates its merged bias under clamp.
        QCOMPARE(rt.staticStats().saturatedBiases, int64_t(1));
    }

    // Clamp matches the independent §6 computation on every element, and gets channel 1 wrong.
    void clampIsTheNaiveFold()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        const auto res = runTiny(g, Strategy::Clamp);
        const Reference ref = naiveReference(true, false, 2.0, 0, 255);
        QCOMPARE(codesOf(res.outputs.at("y"), ref.sy), ref.codes);
        // Channel 1 should be the constant b'_1 ≈ 0.7; the saturated bias loses it.
        for (int p = 0; p < 9; ++p)
            QVERIFY(std::fabs(double(res.outputs.at("y").floats()[9 + p]) - foldedBias(1)) > 0.5);
    }

    void separateRestoresTheConstantChannel()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        bg::FixPlan plan(Strategy::Clamp);
        plan.set("conv1", 1, Strategy::Separate);
        const bgtest::PreparedRuntime prepared(g, tinyRanges(), {}, plan);
        const bg::IntegerRuntime& rt = prepared.rt;
        const auto res = rt.run({{"x", tinyInput()}});
        const auto clamp = runTiny(g, Strategy::Clamp);
        const double sy = 2.0 / 255.0;
        const auto y = res.outputs.at("y").floats();
        const auto yc = clamp.outputs.at("y").floats();
        for (int p = 0; p < 9; ++p) {
            QVERIFY2(std::fabs(double(y[9 + p]) - foldedBias(1)) <= sy, "separate: within one output step of beta");
            // The other channels are bit-identical to the clamp run.
            QCOMPARE(y[p], yc[p]);
            QCOMPARE(y[18 + p], yc[18 + p]);
        }
        QCOMPARE(rt.staticStats().saturatedBiases, int64_t(0));
        QCOMPARE(rt.staticStats().channelsPerStrategy.at(Strategy::Separate), int64_t(1));
        QCOMPARE(rt.staticStats().channelsPerStrategy.at(Strategy::Clamp), int64_t(2));
    }

    void everyStrategy_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("clamp") << int(Strategy::Clamp);
        QTest::newRow("separate") << int(Strategy::Separate);
        QTest::newRow("constant") << int(Strategy::Constant);
        QTest::newRow("widen") << int(Strategy::Widen);
        QTest::newRow("auto") << int(Strategy::Auto);
    }
    void everyStrategy()
    {
        QFETCH(int, strategy);
        const Strategy s = static_cast<Strategy>(strategy);
        const bg::Graph g = buildModel(true, Act::Relu);
        const bgtest::PreparedRuntime prepared(g, tinyRanges(), {}, bg::FixPlan(s));
        const bg::IntegerRuntime& rt = prepared.rt;
        const auto res = rt.run({{"x", tinyInput()}});
        const auto y = res.outputs.at("y").floats();
        const double sy = 2.0 / 255.0;
        const auto& counts = rt.staticStats().channelsPerStrategy;
        if (s == Strategy::Auto) {
            // Channels 0 and 2 are in range (naive fold); channel 1's pre-BN reach 1e-6·2 < s_y/2: constant.
            QCOMPARE(counts.at(Strategy::Clamp), int64_t(2));
            QCOMPARE(counts.at(Strategy::Constant), int64_t(1));
        } else {
            QCOMPARE(counts.at(s), int64_t(3));
        }
        if (s == Strategy::Constant) {
            // Every channel constant: y_c = clamp(zp_y + round(b'_c/s_y)) at every position.
            for (int c = 0; c < 3; ++c) {
                const double expected = std::clamp(std::round(foldedBias(c) / sy), 0.0, 255.0) * sy;
                for (int p = 0; p < 9; ++p)
                    QVERIFY(std::fabs(double(y[size_t(9 * c + p)]) - expected) < 1e-6);
            }
        }
        if (s != Strategy::Clamp) {
            for (int p = 0; p < 9; ++p)
                QVERIFY2(std::fabs(double(y[size_t(9 + p)]) - foldedBias(1)) <= sy, "channel 1 fixed");
        }
        if (s == Strategy::Separate || s == Strategy::Auto || s == Strategy::Widen) {
            // The ordinary channels stay close to the float model (a few output steps at 4-bit weights).
            const Tensor x = tinyInput();
            for (int c : {0, 2}) {
                const double a = double(kGamma[size_t(c)]) / std::sqrt(double(kVar[size_t(c)]) + double(kEps));
                for (int p = 0; p < 9; ++p) {
                    const double z = double(kW[size_t(2 * c)]) * x.floats()[size_t(p)]
                        + double(kW[size_t(2 * c + 1)]) * x.floats()[size_t(9 + p)];
                    const double f = std::clamp(a * z + foldedBias(c), 0.0, 2.0);  // BN(Wx + b), Relu, range
                    QVERIFY2(std::fabs(double(y[size_t(9 * c + p)]) - f) < 0.2, "ordinary channel near float");
                }
            }
        }
    }

    void perTensor()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        bg::QuantSettings s;
        s.granularity = bg::Granularity::PerTensor;
        const auto res = runTiny(g, Strategy::Clamp, s);
        const Reference ref = naiveReference(true, true, 2.0, 0, 255);
        QCOMPARE(codesOf(res.outputs.at("y"), ref.sy), ref.codes);
        // Per tensor, channel 1 is crushed (all q_w = 0) but its bias fits 16 bits: it is the constant.
        for (int p = 0; p < 9; ++p)
            QVERIFY(std::fabs(double(res.outputs.at("y").floats()[size_t(9 + p)]) - foldedBias(1)) <= 2.0 / 255.0);
    }

    // The runtime quantizes with the fold analysis's derivation, not a recomputation of its own.
    void quantizedGroupReadsTheAnalysis()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        bg::QuantSettings s8;
        s8.biasBits = 8;
        for (const Strategy st : {Strategy::Clamp, Strategy::Separate, Strategy::Constant}) {
            const bgtest::PreparedRuntime prepared(g, tinyRanges(), s8, bg::FixPlan(st));
            const bg::IntegerRuntime& rt = prepared.rt;
            const bg::LayerAnalysis& layer = rt.analysis().layers.at(0);
            const bg::QuantizedGroup& qg = rt.quantizedGroups().at(0);
            for (size_t c = 0; c < qg.channels.size(); ++c) {
                const bg::ChannelAnalysis& ch = layer.channels[c];
                const bg::ChannelRequant& r = qg.channels[c];
                QCOMPARE(int(r.strategy), int(st));
                if (st == Strategy::Clamp) {
                    QCOMPARE(r.weightScale, ch.weightScale);
                    QCOMPARE(r.pre, std::clamp<int64_t>(int64_t(ch.biasInt), -128, 127));
                    QCOMPARE(r.biasSaturated, ch.outOfRange);
                } else if (st == Strategy::Separate) {
                    QCOMPARE(r.weightScale, ch.widenedWeightScale);
                    QCOMPARE(r.pre, ch.splitPre);
                    QCOMPARE(r.post, ch.splitPost);
                    QCOMPARE(r.multiplier, ch.splitMultiplier);
                } else {
                    QCOMPARE(r.multiplier, 0.0);
                    QCOMPARE(r.post, int64_t(std::round(ch.biasFloat / layer.outputScale)));
                }
            }
            QCOMPARE(qg.requant.multiplier.size(), qg.channels.size());
        }
    }

    void groupWithoutBn()
    {
        const bg::Graph g = buildModel(false, Act::Relu);
        bg::RangeTable r = tinyRanges();
        const bgtest::PreparedRuntime prepared(g, r, {}, bg::FixPlan(Strategy::Auto));
        const bg::IntegerRuntime& rt = prepared.rt;
        QCOMPARE(rt.groups().groups.size(), size_t(1));
        QVERIFY(!rt.groups().groups[0].hasBn);
        QCOMPARE(rt.groups().groups[0].groupOutput, std::string("y"));
        QCOMPARE(rt.staticStats().unfoldedChannels(), int64_t(3));
        const auto res = rt.run({{"x", tinyInput()}});
        const Reference ref = naiveReference(false, false, 2.0, 0, 255);
        QCOMPARE(codesOf(res.outputs.at("y"), ref.sy), ref.codes);
    }

    // Without a BN, auto separates exactly the channels whose bias saturates an 8-bit register:
    // the bias then spans both registers (SPEC_NOTES "Bias split") and the output is the naive fold
    // with an unlimited bias within one code (the split's own rounding is at most M/2).
    // Channel 0: 0.1/((0.5/7)·(2/255)) = 178.5, channel 2: −238: both beyond 8 bits; channel 1: 0.
    void groupWithoutBnSplitsASaturatedBias()
    {
        const bg::Graph g = buildModel(false, Act::Relu);
        bg::QuantSettings s8;
        s8.biasBits = 8;
        const bgtest::PreparedRuntime prepared(g, tinyRanges(), s8, bg::FixPlan(Strategy::Auto));
        const bg::IntegerRuntime& autoRt = prepared.rt;
        const auto& ch = autoRt.quantizedGroups().at(0).channels;
        QCOMPARE(int(ch[0].strategy), int(Strategy::Separate));
        QCOMPARE(int(ch[1].strategy), int(Strategy::Clamp));
        QCOMPARE(int(ch[2].strategy), int(Strategy::Separate));
        QCOMPARE(autoRt.staticStats().unfoldedPerStrategy.at(Strategy::Separate), int64_t(2));
        QCOMPARE(autoRt.staticStats().saturatedBiases, int64_t(0));
        for (const auto& r : ch)
            QVERIFY(r.pre >= -128 && r.pre <= 127 && r.post >= -128 && r.post <= 127);

        const Reference ref = naiveReference(false, false, 2.0, 0, 255);  // 16-bit bias: nothing saturates
        const std::vector<int64_t> fixed = codesOf(autoRt.run({{"x", tinyInput()}}).outputs.at("y"), ref.sy);
        const std::vector<int64_t> clamped = codesOf(runTiny(g, Strategy::Clamp, s8).outputs.at("y"), ref.sy);
        int64_t worstFixed = 0, worstClamp = 0;
        for (size_t i = 0; i < ref.codes.size(); ++i) {
            worstFixed = std::max(worstFixed, std::abs(fixed[i] - ref.codes[i]));
            worstClamp = std::max(worstClamp, std::abs(clamped[i] - ref.codes[i]));
        }
        QVERIFY2(worstFixed <= 1, qPrintable(QString::number(worstFixed)));
        QVERIFY2(worstClamp >= 5, qPrintable(QString::number(worstClamp)));  // the saturated bias' damage
    }

    void clip6()
    {
        // Large weights drive channel 0 above 6; the output range is [0, 10] so the Clip bound
        // (code round(6 / (10/255)) = 153) is tighter than the code range.
        std::vector<float> w = kW;
        w[0] = 8.0f;
        w[1] = 8.0f;
        const bg::Graph g = buildModel(true, Act::Clip6, w);
        bg::RangeTable r = tinyRanges(10.0);
        const auto res = runTiny(g, Strategy::Clamp, {}, r);
        const Reference ref = naiveReference(true, false, 10.0, 0, 153, w);
        QCOMPARE(codesOf(res.outputs.at("y"), ref.sy), ref.codes);
        const auto y = res.outputs.at("y").floats();
        QVERIFY(*std::max_element(y.begin(), y.end()) <= 6.0f + 1e-5f);
        QVERIFY(std::count(ref.codes.begin(), ref.codes.end(), int64_t(153)) > 0);  // the bound is reached
    }

    void deterministicAcrossRunsAndThreads()
    {
        const bg::Graph g = buildDeterminismModel();
        const bg::RangeTable r = determinismRanges();
        bg::QuantSettings s;
        s.weightBits = 8;
        const bgtest::PreparedRuntime prepared(g, r, s, bg::FixPlan(Strategy::Auto));
        const bg::IntegerRuntime& rt = prepared.rt;
        QCOMPARE(rt.groups().groups.size(), size_t(2));
        bg::TensorMap inputs;
        inputs["x"] = determinismInput();
        omp_set_num_threads(1);
        const auto a = rt.run(inputs);
        omp_set_num_threads(2);
        const auto b = rt.run(inputs);
        const auto c = rt.run(inputs);
        bg::IntegerRunOptions refOpt;
        refOpt.referenceKernels = true;
        const auto d = rt.run(inputs, refOpt);
        const auto ya = a.outputs.at("y").floats();
        for (const auto* other : {&b, &c, &d}) {
            const auto yo = other->outputs.at("y").floats();
            QCOMPARE(yo.size(), ya.size());
            QVERIFY(std::memcmp(ya.data(), yo.data(), ya.size() * sizeof(float)) == 0);
        }
        QVERIFY(*std::max_element(ya.begin(), ya.end()) > 0.0f);
    }

    // 1-D convolutions (a 2-D kernel of one row) on the fast path: strips of that one row, conv1's
    // output handed to conv2 channels-last, the reference kernels' bytes.
    void oneDimensionalConvsGiveTheReferenceBytes()
    {
        const auto [fast, ref] = runConvReluThen({1, 4, 50}, {8, 4, 3}, {{"pads", std::vector<int64_t>{1, 1}}}, "Conv",
                                                 {4, 8, 3}, {});
        QCOMPARE(fast.stats.kernelPaths.count(bg::IntKernelPath::Reference), size_t(0));
        QCOMPARE(fast.stats.channelsLastOutputs, int64_t(1));
        const auto yf = fast.outputs.at("y").floats(), yr = ref.outputs.at("y").floats();
        QCOMPARE(yf.size(), size_t(4 * 48));
        QVERIFY(std::memcmp(yf.data(), yr.data(), yf.size() * sizeof(float)) == 0);
        QVERIFY(*std::max_element(yf.begin(), yf.end()) > *std::min_element(yf.begin(), yf.end()));
    }

    // A Conv whose only reader is a ConvTranspose hands its codes over channels-last (the layout of
    // oneDNN's deconvolution): the reference kernels' bytes, with that output counted.
    void convHandsChannelsLastCodesToConvTranspose()
    {
        const auto [fast, ref] = runConvReluThen({1, 3, 6, 7}, {8, 3, 3, 3}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}},
                                                 "ConvTranspose", {8, 4, 2, 2}, {{"strides", std::vector<int64_t>{2, 2}}});
        QCOMPARE(fast.stats.kernelPaths.count(bg::IntKernelPath::Reference), size_t(0));
        QCOMPARE(fast.stats.channelsLastOutputs, int64_t(1));
        const auto yf = fast.outputs.at("y").floats(), yr = ref.outputs.at("y").floats();
        QCOMPARE(yf.size(), size_t(4 * 12 * 14));
        QVERIFY(std::memcmp(yf.data(), yr.data(), yf.size() * sizeof(float)) == 0);
        QVERIFY(*std::max_element(yf.begin(), yf.end()) > *std::min_element(yf.begin(), yf.end()));
    }

    // An incremental re-run (integer_run_memo.h) after one channel's strategy changes gives the bytes
    // of a full run under the new plan, and recomputes only the changed group and what reads it.
    void incrementalRerun_data()
    {
        QTest::addColumn<QString>("layer");
        QTest::addColumn<int>("channel");
        QTest::addColumn<int>("changedGroups");
        QTest::newRow("gamma-1e-7 channel: everything downstream") << "conv1" << 3 << 1;
        QTest::newRow("an ordinary channel") << "conv1" << 0 << 1;
        QTest::newRow("nothing changes") << "" << 0 << 0;
    }

    void incrementalRerun()
    {
        QFETCH(QString, layer);
        QFETCH(int, channel);
        QFETCH(int, changedGroups);
        const bg::Graph g = buildDeterminismModel();
        const bg::RangeTable r = determinismRanges();
        bg::QuantSettings s;
        s.weightBits = 8;
        const bgtest::PreparedRuntime before(g, r, s, bg::FixPlan(Strategy::Clamp));
        bg::FixPlan plan(Strategy::Clamp);
        if (!layer.isEmpty())
            plan.set(layer.toStdString(), channel, Strategy::Separate);
        const bg::IntegerRuntime after(*before.model, r, before.analysis, plan);
        const std::vector<bool> changed = after.groupsChangedFrom(before.rt);
        QCOMPARE(changed.size(), size_t(2));
        QCOMPARE(static_cast<int>(std::count(changed.begin(), changed.end(), true)), changedGroups);

        bg::TensorMap inputs;
        inputs["x"] = determinismInput();
        bg::IntegerRunOptions keep;
        keep.keepGroupOutputs = true;
        bg::IntegerRunMemo memo;
        bg::IntegerRunOptions recording = keep;
        recording.record = &memo;
        before.rt.run(inputs, recording);
        QVERIFY(memo.tensors.count("m") == 1);

        const bg::IntegerRunResult full = after.run(inputs, keep);
        bg::IntegerRunOptions incremental = keep;
        incremental.reuse = &memo;
        incremental.changedGroups = &changed;
        bg::IntegerRunMemo again;
        incremental.record = &again;
        const bg::IntegerRunResult inc = after.run(inputs, incremental);
        for (const auto& [name, t] : full.outputs) {
            const auto a = t.floats();
            const auto b = inc.outputs.at(name).floats();
            QCOMPARE(b.size(), a.size());
            QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
        }
        QCOMPARE(inc.groupOutputs.size(), full.groupOutputs.size());
        for (const auto& [name, t] : full.groupOutputs)
            QVERIFY(std::memcmp(t.floats().data(), inc.groupOutputs.at(name).floats().data(),
                                t.floats().size() * sizeof(float)) == 0);
        QCOMPARE(inc.stats.accumulatorOverflows, full.stats.accumulatorOverflows);
        QCOMPARE(inc.stats.kernelPaths, full.stats.kernelPaths);
        // The re-run's own memo serves a further re-run: everything there.
        QCOMPARE(again.tensors.size(), memo.tensors.size());
    }

    // Nodes an incremental re-run does not recompute really come from the memo: a re-run that
    // recomputes conv2 alone reads its input from the memo, so an altered copy there changes y.
    void incrementalRerunReadsTheMemo()
    {
        const bg::Graph g = buildDeterminismModel();
        const bg::RangeTable r = determinismRanges();
        bg::QuantSettings s;
        s.weightBits = 8;
        const bgtest::PreparedRuntime prepared(g, r, s, bg::FixPlan(Strategy::Clamp));
        const bg::IntegerRuntime& rt = prepared.rt;
        QCOMPARE(rt.groupsChangedFrom(rt), (std::vector<bool>{false, false}));
        const std::vector<bool> onlyConv2{false, true};
        bg::TensorMap inputs;
        inputs["x"] = determinismInput();
        bg::IntegerRunMemo memo;
        bg::IntegerRunOptions recording;
        recording.record = &memo;
        const auto full = rt.run(inputs, recording).outputs.at("y");
        bg::IntegerRunOptions incremental;
        incremental.reuse = &memo;
        incremental.changedGroups = &onlyConv2;
        const auto same = rt.run(inputs, incremental).outputs.at("y");
        QVERIFY(std::memcmp(same.floats().data(), full.floats().data(), full.floats().size() * sizeof(float)) == 0);

        bg::IntegerTensorSlot altered = *memo.tensors.at("m");
        std::fill(altered.codes.values.begin(), altered.codes.values.end(), uint8_t{0});
        memo.tensors["m"] = std::make_shared<const bg::IntegerTensorSlot>(altered);
        const auto y = rt.run(inputs, incremental).outputs.at("y");
        QVERIFY(std::memcmp(y.floats().data(), full.floats().data(), full.floats().size() * sizeof(float)) != 0);
        // Flags of another model are refused, not misread.
        const std::vector<bool> wrong(1, true);
        incremental.changedGroups = &wrong;
        QVERIFY_THROWS_EXCEPTION(bg::Error, rt.run(inputs, incremental));
    }

    void missingRangeNamesTheTensor()
    {
        const bg::Graph g = buildModel(true, Act::Relu);
        bg::RangeTable r = tinyRanges();
        r.erase("x");
        try {
            const bgtest::PreparedRuntime prepared(g, r, {}, bg::FixPlan(Strategy::Clamp));
            QFAIL("expected an error");
        } catch (const bg::Error& e) {
            QVERIFY(std::string(e.what()).find("'x'") != std::string::npos
                    || e.subject().find("x") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestIntegerRuntime)
#include "tst_integer_runtime.moc"
