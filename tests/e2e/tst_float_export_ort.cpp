// The fixed float model, run by ONNX Runtime (tools/ort/run_ort.mjs), computes what the original
// model computes, under every strategy (issue 10, `float`): biasguard-cli fix writes it, ONNX
// Runtime runs both on the fixed test input, and every output agrees within 1e-4 relative. The
// test fails (does not skip) without node or onnxruntime-node: scripts/test.sh installs them.
#include "common/fixed_input.h"
#include "common/ort_runner.h"
#include "common/process_runner.h"
#include "common/test_paths.h"

#include "comparison/comparison_metrics.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {

// Every output_K.pb of a run_ort.mjs output folder, in K order.
std::vector<bg::Tensor> readOutputs(const QString& dir, size_t count)
{
    std::vector<bg::Tensor> out;
    for (size_t k = 0; k < count; ++k)
        out.push_back(bg::readTensorProtoFile(QDir(dir).filePath(QString("output_%1.pb").arg(k)).toStdString()).tensor);
    return out;
}

double maxAbs(const bg::Tensor& t)
{
    double m = 0.0;
    for (float v : t.floats())
        m = std::max(m, std::fabs(double(v)));
    return m;
}

} // namespace

class TestFloatExportOrt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QString missing = bgtest::ortMissing();
        QVERIFY2(missing.isEmpty(), qPrintable("ONNX Runtime is needed for this test: " + missing));
    }

    void sameOutputsUnderOrt_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QList<qlonglong>>("shape");
        QTest::addColumn<QString>("strategy");
        const QString demo = "resources/models/demo/slimmed_cnn.onnx";
        const QString cls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
        for (const char* s : {"clamp", "separate", "constant", "widen", "auto"}) {
            QTest::addRow("demo %s", s) << demo << QList<qlonglong>{1, 3, 64, 64} << QString(s);
            QTest::addRow("cls %s", s) << cls << QList<qlonglong>{1, 3, 48, 192} << QString(s);
        }
    }

    void sameOutputsUnderOrt()
    {
        QFETCH(QString, model);
        QFETCH(QList<qlonglong>, shape);
        QFETCH(QString, strategy);
        QTemporaryDir dir;
        const QString in = QString::fromStdString(bgtest::sourcePath(model.toStdString()));
        const QString fixed = dir.filePath("fixed.onnx");
        const auto fix = bgtest::runProgram(QString::fromStdString(bgtest::cliPath()),
                                            {"fix", in, "--out", fixed, "--strategy", strategy, "--input-size",
                                             QString("%1x%2").arg(shape[2]).arg(shape[3])});
        QVERIFY2(fix.code == 0, qPrintable(fix.err));

        const bg::Graph graph = bg::loadModel(in.toStdString());
        const QString inputs = dir.filePath("inputs");
        QDir().mkpath(inputs);
        bg::writeTensorProtoFile(QDir(inputs).filePath("input_0.pb").toStdString(), graph.inputs[0].name,
                                 bgtest::fixedTestInput(bg::Shape(shape.begin(), shape.end())));
        for (const QString& which : {in, fixed}) {
            const auto r = bgtest::runOrt(which, inputs, dir.filePath(which == in ? "original" : "exported"));
            QVERIFY2(r.code == 0, qPrintable(which + ": " + r.err));
        }
        const auto a = readOutputs(dir.filePath("original"), graph.outputs.size());
        const auto b = readOutputs(dir.filePath("exported"), graph.outputs.size());
        for (size_t k = 0; k < a.size(); ++k) {
            QCOMPARE(b[k].shape(), a[k].shape());
            // 1e-4 relative to the element, with a floor of 1e-4 of the output's largest magnitude
            // for the elements near 0 (folding rounds W' = a·W to float32 once more).
            double worst = 0.0;
            const auto x = a[k].floats(), y = b[k].floats();
            for (size_t i = 0; i < x.size(); ++i)
                worst = std::max(worst, std::fabs(double(x[i]) - double(y[i])));
            qInfo("output %zu: max |original - export| / max |original| = %.3g", k, worst / std::max(maxAbs(a[k]), 1e-30));
            const bg::ToleranceCheck check = bg::checkTolerance(a[k], b[k], 1e-4 * maxAbs(a[k]), 1e-4);
            QVERIFY2(check.passed(), qPrintable(QString("output %1: %2 elements off; worst %3 vs %4")
                                                    .arg(k).arg(check.failed).arg(check.worstValue).arg(check.worstRef)));
        }
    }
};

QTEST_APPLESS_MAIN(TestFloatExportOrt)
#include "tst_float_export_ort.moc"
