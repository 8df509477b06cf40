// The comparison of QUANT_SPEC §8 on the demo model and the PaddleOCR classifier (at its native
// 48x192 text-line size) with the 8 synthetic calibration samples: the auto fix plan beats the
// naive fold (clamp) on every graph output, down to an 8-bit bias register; every layer without an
// out-of-range channel is quantized exactly as under clamp (and compares equal while no changed
// layer lies upstream, and always in isolation).
//
// The 8-bit rows hold because separate splits the bias over both registers and widens s_W,c only
// as far as that split needs (docs/SPEC_NOTES.md, "Bias split"). With §7's own split they failed:
// classifier W8/B8 8.78 dB clamp vs 8.13 dB fixed (§7 literally), 4.98 dB (with a cost test that
// kept the naive fold where widening looked dearer).
#include "folding/model_structure.h"
#include "folding/fold_pair_finder.h"
#include "comparison/model_comparison.h"
#include "common/test_paths.h"
#include "model/model_loader.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "integer/integer_runtime.h"

#include <QFileInfo>
#include <QtTest>

#include <cmath>
#include <map>
#include <set>

namespace {

// Tensors whose value can differ between the clamp and the fixed run: outputs of groups with a
// changed channel, and everything computed from them.
std::set<std::string> affectedTensors(const bg::Graph& graph, const bg::IntegerRuntime& rt, const bg::ModelComparison& c)
{
    std::set<std::string> affected;
    std::map<size_t, size_t> groupOfLinear;
    for (size_t i = 0; i < rt.groups().groups.size(); ++i)
        groupOfLinear[rt.groups().groups[i].linearIndex] = i;
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const bg::Node& node = graph.nodes[n];
        bool hit = false;
        for (const auto& in : node.inputs)
            hit = hit || affected.count(in);
        if (auto it = groupOfLinear.find(n); it != groupOfLinear.end()) {
            if (c.layers[it->second].changedChannels > 0)
                hit = true;
            if (hit)
                affected.insert(rt.groups().groups[it->second].groupOutput);
        }
        if (hit)
            for (const auto& out : node.outputs)
                affected.insert(out);
    }
    return affected;
}

} // namespace

class TestCompareModels : public QObject {
    Q_OBJECT
private slots:
    void fixedBeatsClamp_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("weightBits");
        QTest::addColumn<int>("biasBits");
        const QString demo = "resources/models/demo/slimmed_cnn.onnx";
        const QString cls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
        QTest::newRow("demo w4 b16") << demo << 4 << 16;
        QTest::newRow("demo w8 b12") << demo << 8 << 12;
        QTest::newRow("demo w4 b8") << demo << 4 << 8;
        QTest::newRow("demo w8 b8") << demo << 8 << 8;
        QTest::newRow("cls w4 b12") << cls << 4 << 12;
        QTest::newRow("cls w8 b16") << cls << 8 << 16;
        QTest::newRow("cls w4 b8") << cls << 4 << 8;
        QTest::newRow("cls w8 b8") << cls << 8 << 8;
    }

    void fixedBeatsClamp()
    {
        QFETCH(QString, model);
        QFETCH(int, weightBits);
        QFETCH(int, biasBits);
        const std::string path = bgtest::sourcePath(model.toStdString());
        if (!QFileInfo::exists(QString::fromStdString(path)))
            QSKIP("model not generated yet");
        const auto structure = bg::loadModelStructure(path);
        const bg::Graph& graph = structure->graph;
        bg::SyntheticShapeOptions shapes;
        shapes.otherDim = 48;  // the classifier's dynamic H, W: its real 48x192 text-line input
        shapes.dimSizes[graph.inputs[0].name + ":3"] = 192;  // (the demo's input is static)
        bg::SyntheticCalibrationSource source(graph, shapes);
        const bg::RangeTable ranges = bg::calibrate(graph, structure->pairs, source);

        bg::QuantSettings s;
        s.biasBits = biasBits;
        s.weightBits = weightBits;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, structure->pairs, s, ranges);
        bg::ComparisonOptions options;
        options.plan = bg::FixPlan(bg::Strategy::Auto);
        const bg::ModelComparison c = bg::compareModel(*structure, ranges, analysis, source, options);
        QCOMPARE(c.samples, size_t(8));
        QVERIFY(!c.outputs.empty());
        if (qEnvironmentVariableIsSet("BG_PRINT_LAYERS"))
            for (const auto& l : c.layers)
                qInfo("  %-40s out %3lld changed %3lld SQNR clamp %8.3f fixed %8.3f", l.name.c_str(),
                      static_cast<long long>(l.outOfRange), static_cast<long long>(l.changedChannels),
                      l.quantized.sqnrDb, l.fixed.sqnrDb);
        for (const bg::OutputComparison& o : c.outputs) {
            QVERIFY(o.exactBias.has_value());
            qInfo("%s output %s: SQNR clamp %.3f dB, fixed %.3f dB, exact bias %.3f dB; cosine %.6f / %.6f", qPrintable(model),
                  o.name.c_str(), o.quantized.sqnrDb, o.fixed.sqnrDb, o.exactBias->sqnrDb, o.quantized.cosine, o.fixed.cosine);
            QVERIFY2(o.fixed.sqnrDb > o.quantized.sqnrDb, o.name.c_str());
        }
        // The model must actually exercise the fix: some channels are out of range at 8 bits.
        int64_t changed = 0;
        for (const auto& l : c.layers)
            changed += l.changedChannels;
        QVERIFY(changed > 0);

        // Layers without out-of-range channels: the fixed plan quantizes them exactly as clamp does
        // (same weight codes, same requantization); when no changed layer lies upstream their
        // outputs are identical, so their metrics are equal.
        const bg::IntegerRuntime clampRt(*structure, ranges, analysis, bg::FixPlan(bg::Strategy::Clamp));
        const bg::IntegerRuntime fixedRt(*structure, ranges, analysis, options.plan);
        QCOMPARE(clampRt.quantizedGroups().size(), c.layers.size());
        const std::set<std::string> affected = affectedTensors(graph, fixedRt, c);
        int checkedEqual = 0, unaffected = 0, isolatedEqual = 0, isolatedBetter = 0;
        for (size_t i = 0; i < c.layers.size(); ++i) {
            const bg::LayerComparison& l = c.layers[i];
            const bg::QuantizedGroup& a = clampRt.quantizedGroups()[i];
            const bg::QuantizedGroup& b = fixedRt.quantizedGroups()[i];
            if (l.outOfRange == 0) {
                QCOMPARE(l.changedChannels, int64_t(0));
                // Isolated (same float input to the layer): identical quantization, equal metrics.
                QCOMPARE(l.isolatedFixed.sqnrDb, l.isolatedQuantized.sqnrDb);
                QCOMPARE(l.isolatedFixed.mse, l.isolatedQuantized.mse);
                ++isolatedEqual;
                QVERIFY2(a.weight.values == b.weight.values, l.name.c_str());
                for (size_t ch = 0; ch < a.channels.size(); ++ch) {
                    QCOMPARE(a.channels[ch].multiplier, b.channels[ch].multiplier);
                    QCOMPARE(a.channels[ch].pre, b.channels[ch].pre);
                    QCOMPARE(a.channels[ch].post, b.channels[ch].post);
                }
                if (!affected.count(l.tensor)) {
                    QCOMPARE(l.fixed.sqnrDb, l.quantized.sqnrDb);
                    QCOMPARE(l.fixed.mse, l.quantized.mse);
                    ++checkedEqual;
                }
            } else if (l.changedChannels > 0) {
                // Isolated, a layer whose out-of-range channels the plan changed is not further from
                // float on these inputs (equal when the changed channel is cut off by the Relu either
                // way). Not a theorem: a saturated bias can push a channel onto the same output clamp
                // the float value sits at, and then clamp is right by accident.
                if (qEnvironmentVariableIsSet("BG_PRINT_LAYERS") || l.isolatedFixed.sqnrDb < l.isolatedQuantized.sqnrDb)
                    qInfo("  isolated %s: clamp %.4f dB, fixed %.4f dB", l.name.c_str(), l.isolatedQuantized.sqnrDb,
                          l.isolatedFixed.sqnrDb);
                QVERIFY2(l.isolatedFixed.sqnrDb >= l.isolatedQuantized.sqnrDb, l.name.c_str());
                isolatedBetter += l.isolatedFixed.sqnrDb > l.isolatedQuantized.sqnrDb ? 1 : 0;
            }
            if (l.outOfRange > 0) {
                // Only out-of-range channels change.
                QVERIFY(l.changedChannels <= l.outOfRange);
            }
            unaffected += affected.count(l.tensor) ? 0 : 1;
        }
        qInfo("%d layers compared equal (no changed layer upstream), %d unaffected in all; isolated: %d equal, %d better",
              checkedEqual, unaffected, isolatedEqual, isolatedBetter);
        QVERIFY(isolatedBetter > 0);
    }
};

QTEST_APPLESS_MAIN(TestCompareModels)
#include "tst_compare_models.moc"
