// biasguard-cli compare/sweep --labels and analyze's activation diagnosis, driven as a user would
// (QProcess) on a small classifier written here: labels made from the float model's own top classes
// (all right) and shifted by one (all wrong); errors that name the labels file.
#include "common/process_runner.h"
#include "common/test_paths.h"
#include "comparison/task_accuracy.h"
#include "export/onnx_builder.h"
#include "io/json_reader.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace {

constexpr int kSamples = 5;

bgtest::ProcessResult runCli(const QStringList& args)
{
    return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
}

bg::Tensor sampleInput(int i)
{
    std::vector<float> v(4);
    for (size_t k = 0; k < 4; ++k)
        v[k] = static_cast<float>(std::cos(1.3 * i + 0.7 * static_cast<double>(k)));
    return bg::Tensor({1, 4}, v);
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

QByteArray labelsJson(const std::vector<int64_t>& labels)
{
    QByteArray s = "[";
    for (size_t i = 0; i < labels.size(); ++i)
        s += (i ? ", " : "") + QByteArray::number(static_cast<qlonglong>(labels[i]));
    return s + "]";
}

} // namespace

class TestAccuracyCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_, inputs_;
    std::vector<int64_t> top_;

private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromStdString(bgtest::cliPath())))
            QSKIP("biasguard-cli is not built (BIASGUARD_BUILD_UI=OFF)");
        bg::OnnxBuilder b(13);
        b.input("x", {1, 4}).output("y", {1, 3});
        b.initializer("W", bg::Tensor({3, 4}, std::vector<float>{1.0f, -0.5f, 0.25f, 0.8f, -0.7f, 0.9f, 0.3f, -0.2f,
                                                                  0.1f, 0.2f, -0.9f, 0.6f}));
        b.node("Gemm", {"x", "W"}, {"y"}, {{"transB", int64_t{1}}}, "fc");
        model_ = dir_.filePath("classifier.onnx");
        b.save(model_.toStdString());
        inputs_ = dir_.filePath("inputs");
        const bg::Graph g = bg::loadModel(model_.toStdString());
        const bg::FloatRuntime rt(g);
        for (int i = 0; i < kSamples; ++i) {
            const QString sample = QString("%1/test_data_set_%2").arg(inputs_).arg(i);
            QVERIFY(QDir().mkpath(sample));
            bg::writeTensorProtoFile((sample + "/input_0.pb").toStdString(), "x", sampleInput(i));
            top_.push_back(bg::topClass(rt.run({{"x", sampleInput(i)}}).at("y"), "y"));
        }
    }

    void compareReportsAccuracy_data()
    {
        QTest::addColumn<int>("shift");
        QTest::addColumn<double>("floatAccuracy");
        QTest::newRow("all right") << 0 << 1.0;
        QTest::newRow("all wrong") << 1 << 0.0;
    }
    void compareReportsAccuracy()
    {
        QFETCH(int, shift);
        QFETCH(double, floatAccuracy);
        std::vector<int64_t> labels = top_;
        for (int64_t& l : labels)
            l = (l + shift) % 3;
        const QString labelsPath = dir_.filePath(QString("labels%1.json").arg(shift));
        writeText(labelsPath, labelsJson(labels));
        const QString json = dir_.filePath("cmp.json");
        const auto r = runCli({"compare", model_, "--calib", inputs_, "--weight-bits", "8", "--labels", labelsPath,
                               "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QString("accuracy (%1 labelled samples): float %2 %").arg(kSamples).arg(100 * floatAccuracy, 0, 'f', 1)),
                 qPrintable(r.out));
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        const bg::JsonValue* acc = root.find("outputs")->items().at(0).find("accuracy");
        QVERIFY(acc);
        QCOMPARE(acc->find("float")->number(), floatAccuracy);
        for (const char* key : {"quantized", "fixed", "exact_bias"})
            QVERIFY2(acc->find(key)->isNumber(), key);
        QVERIFY(root.find("activation_diagnosis")->find("tensors")->isArray());

        const QString sweepJson = dir_.filePath("sweep.json");
        const auto s = runCli({"sweep", model_, "--calib", inputs_, "--weight-bits", "8", "--bias-bits", "16,32",
                               "--labels", labelsPath, "--json", sweepJson});
        QVERIFY2(s.code == 0, qPrintable(s.err));
        QVERIFY2(s.out.contains("acc float"), qPrintable(s.out));
        const bg::JsonValue sweep = bg::readJsonFile(sweepJson.toStdString());
        for (const bg::JsonValue& row : sweep.find("rows")->items()) {
            QVERIFY(row.find("accuracy"));
            QCOMPARE(row.find("accuracy")->find("float")->number(), floatAccuracy);
            QVERIFY(row.find("accuracy")->find("exact_bias")->isNumber());
        }
    }

    void badLabelsNameTheFile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("count") << QByteArray("[0, 1]") << "2 labels for 5 samples";
        QTest::newRow("past the classes") << QByteArray("[0, 1, 2, 0, 3]") << "label 3 of sample 4 is past output y's 3 classes";
        QTest::newRow("not an integer") << QByteArray("[0, 1, 2.5, 0, 1]") << "label 2 is not a non-negative whole number";
    }
    void badLabelsNameTheFile()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, problem);
        const QString labelsPath = dir_.filePath("bad.json");
        writeText(labelsPath, text);
        const auto r = runCli({"compare", model_, "--calib", inputs_, "--labels", labelsPath});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(labelsPath) && r.err.contains(problem), qPrintable(r.err));
    }

    void analyzePrintsTheActivationRanges()
    {
        const QString json = dir_.filePath("analysis.json");
        const auto r = runCli({"analyze", model_, "--calib", inputs_, "--json", json});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("activation ranges"), qPrintable(r.out));
        const bg::JsonValue root = bg::readJsonFile(json.toStdString());
        const auto& tensors = root.find("activation_diagnosis")->find("tensors")->items();
        QCOMPARE(tensors.size(), size_t(2));  // fc's input and output
        QCOMPARE(tensors[0].find("range")->items().size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestAccuracyCli)
#include "tst_accuracy_cli.moc"
