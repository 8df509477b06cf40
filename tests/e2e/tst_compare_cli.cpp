// biasguard-cli compare and run --mode int, driven as a user would (QProcess): exit codes, the JSON
// report's fields, and errors that name the file.
#include "common/fixed_input.h"
#include "common/process_runner.h"
#include "common/test_paths.h"
#include "io/json_reader.h"
#include "model/tensor_file.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const char* kCls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";

using Result = bgtest::ProcessResult;

Result runCli(const QStringList& args) { return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args); }

} // namespace

class TestCompareCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromStdString(bgtest::cliPath())))
            QSKIP("biasguard-cli is not built (BIASGUARD_BUILD_UI=OFF)");
    }

    void compareWritesJson()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("cmp.json");
        const Result r = runCli({"compare", QString::fromStdString(bgtest::sourcePath(kCls)), "--input-size", "48x192", "--bias-bits", "8",
                                 "--json", json, "--atol", "0.01", "--rtol", "0.01"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("SQNR"));
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        QCOMPARE(root.find("settings")->find("bias_bits")->number(), 8.0);
        const auto& outputs = root.find("outputs")->items();
        QCOMPARE(outputs.size(), size_t(1));
        for (const char* run : {"quantized", "fixed", "exact_bias"}) {
            const bg::JsonValue* m = outputs[0].find(run);
            QVERIFY(m);
            for (const char* key : {"cosine", "sqnr_db", "max_abs", "mse", "top1"})
                QVERIFY2(m->find(key), key);
        }
        QVERIFY(outputs[0].find("tolerance"));
        const auto& layers = root.find("layers")->items();
        QVERIFY(layers.size() > 30);
        QVERIFY(layers[0].find("fixed")->find("rmse_over_scale"));
        QVERIFY(layers[0].find("exact_bias")->find("sqnr_db"));
        // At 8 bits the exact-bias reference beats the saturating clamp by far (cls W4: ~9 dB).
        QVERIFY(outputs[0].find("exact_bias")->find("sqnr_db")->number() > outputs[0].find("quantized")->find("sqnr_db")->number() + 3);
        QVERIFY(layers[0].find("worst_channels")->find("quantized")->isArray());
        QVERIFY(root.find("overflow")->find("fixed")->isNumber());
        QVERIFY(root.find("plan")->find("separate")->isNumber());
    }

    void badPlanNamesTheFile()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        const Result r = runCli({"compare", QString::fromStdString(bgtest::sourcePath(kCls)), "--input-size", "48x192", "--plan", plan});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(plan), qPrintable(r.err));
    }

    void planWithAnUnknownLayerIsRefused()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("typo.json");
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "biasguard-fix-plan", "version": 1, "default": "auto",
                    "layers": [{"name": "p2o.Conv.99", "channels": [{"channel": 0, "strategy": "separate"}]}]})");
        f.close();
        const Result r = runCli({"compare", QString::fromStdString(bgtest::sourcePath(kCls)), "--input-size", "48x192", "--plan", plan});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(plan) && r.err.contains("p2o.Conv.99"), qPrintable(r.err));
    }

    void usageErrors()
    {
        const QString model = QString::fromStdString(bgtest::sourcePath(kCls));
        QCOMPARE(runCli({"compare", model, "--strategy", "magic"}).code, 2);
        QCOMPARE(runCli({"compare", model, "--atol", "0.1"}).code, 2);
        QCOMPARE(runCli({"compare"}).code, 2);
        QCOMPARE(runCli({"compare", "/nonexistent/model.onnx"}).code, 1);
    }

    void runIntegerMode()
    {
        QTemporaryDir dir;
        const QString in = dir.filePath("in"), out = dir.filePath("out");
        QVERIFY(QDir().mkpath(in));
        bg::writeTensorProtoFile(QDir(in).filePath("input_0.pb").toStdString(), "x",
                                 bgtest::fixedTestInput({1, 3, 48, 192}));
        const QString model = QString::fromStdString(bgtest::sourcePath(kCls));
        const Result r = runCli({"run", model, "--input-dir", in, "--output-dir", out, "--mode", "int", "--input-size", "48x192",
                                 "--bias-bits", "8", "--strategy", "auto"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const bg::NamedTensor y = bg::readTensorProtoFile(QDir(out).filePath("output_0.pb").toStdString());
        QCOMPARE(y.tensor.shape(), (bg::Shape{1, 2}));
        const auto v = y.tensor.floats();
        QVERIFY(v[0] >= 0.0f && v[1] >= 0.0f && v[0] + v[1] > 0.9f && v[0] + v[1] < 1.1f);  // softmax, quantized
        // Same bytes on a second run.
        const QString out2 = dir.filePath("out2");
        QCOMPARE(runCli({"run", model, "--input-dir", in, "--output-dir", out2, "--mode", "int", "--input-size", "48x192", "--bias-bits", "8"}).code, 0);
        QFile a(QDir(out).filePath("output_0.pb")), b(QDir(out2).filePath("output_0.pb"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }
};

QTEST_APPLESS_MAIN(TestCompareCli)
#include "tst_compare_cli.moc"
