// Both PaddleOCR models run end to end in the integer pipeline (QUANT_SPEC §4, §6, §7): every graph
// output has the float model's shape, holds only values of its output quantizer's grid, and is the
// same bytes with the plain-loop integer kernels and with one or two threads. The detector runs at
// 96x96 and the classifier at its 48x192 text-line size so the test stays quick. ctest runs it
// natively and with oneDNN capped at AVX2 (no VNNI), where the 8-bit weights take the split path.
#include "common/prepared_runtime.h"
#include "folding/fold_pair_finder.h"
#include "common/test_paths.h"
#include "model/model_loader.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "integer/integer_runtime.h"
#include "runtime/float_runtime.h"

#include <QtTest>

#include <omp.h>

#include <cmath>
#include <cstring>

namespace {
QString describePaths(const std::map<bg::IntKernelPath, int64_t>& paths)
{
    QStringList parts;
    for (const auto& [path, runs] : paths)
        parts << QString("%1 %2").arg(bg::intKernelPathName(path)).arg(runs);
    return parts.join(", ");
}
} // namespace

class TestIntegerRealModels : public QObject {
    Q_OBJECT
private slots:
    void runsEndToEnd_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::newRow("det") << "resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx" << 96 << 96;
        QTest::newRow("cls") << "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx" << 48 << 192;
    }

    void runsEndToEnd()
    {
        QFETCH(QString, model);
        QFETCH(int, height);
        QFETCH(int, width);
        const bg::Graph graph = bg::loadModel(bgtest::sourcePath(model.toStdString()));
        bg::SyntheticShapeOptions shapes;
        shapes.dimSizes[graph.inputs[0].name + ":2"] = height;
        shapes.dimSizes[graph.inputs[0].name + ":3"] = width;
        bg::SyntheticCalibrationSource source(graph, shapes);
        const bg::RangeTable ranges = bg::calibrate(graph, bg::findFoldPairs(graph), source);
        bg::QuantSettings settings;
        settings.weightBits = 8;
        settings.biasBits = 12;  // narrow enough that auto changes channels of both models
        const bgtest::PreparedRuntime prepared(graph, ranges, settings, bg::FixPlan(bg::Strategy::Auto));
        const bg::IntegerRuntime& rt = prepared.rt;
        QVERIFY(rt.staticStats().groups > 10);
        QVERIFY(rt.staticStats().floatNodes > 0);
        QVERIFY(rt.staticStats().channelsPerStrategy.at(bg::Strategy::Separate)
                    + rt.staticStats().unfoldedPerStrategy.at(bg::Strategy::Separate) > 0);

        const auto sample = source.sample(3);
        const bg::TensorMap in(sample.begin(), sample.end());
        const bg::TensorMap ref = bg::FloatRuntime(graph).run(in);
        const bg::IntegerRunResult fast = rt.run(in);
        for (const auto& out : graph.outputs) {
            const bg::Tensor& y = fast.outputs.at(out.name);
            QCOMPARE(y.shape(), ref.at(out.name).shape());
            const bg::ActivationQuant q = rt.activationQuant(out.name);
            for (float v : y.floats()) {
                QVERIFY(std::isfinite(v));
                const double code = double(v) / q.scale + double(q.zeroPoint);
                QVERIFY2(std::fabs(code - std::round(code)) < 1e-3 && code > -0.5 && code < 255.5,
                         qPrintable(QString("%1 is not on the output grid").arg(v)));
            }
        }

        bg::IntegerRunOptions reference;
        reference.referenceKernels = true;
        const int threads = omp_get_max_threads();
        omp_set_num_threads(1);
        const bg::IntegerRunResult slow = rt.run(in, reference);
        omp_set_num_threads(threads);
        for (const auto& out : graph.outputs) {
            const auto a = fast.outputs.at(out.name).floats(), b = slow.outputs.at(out.name).floats();
            QVERIFY(a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
        }
        QCOMPARE(slow.stats.accumulatorOverflows, fast.stats.accumulatorOverflows);
        // Every group ran an exact fast kernel (on a CPU without VNNI, 8-bit weights run split);
        // the reference loops only where asked for.
        qInfo() << "kernel paths:" << describePaths(fast.stats.kernelPaths);
        QCOMPARE(fast.stats.kernelPaths.count(bg::IntKernelPath::Reference), size_t(0));
        QCOMPARE(slow.stats.kernelPaths.size(), size_t(1));
        QCOMPARE(slow.stats.kernelPaths.begin()->first, bg::IntKernelPath::Reference);
    }
};

QTEST_APPLESS_MAIN(TestIntegerRealModels)
#include "tst_integer_real_models.moc"
