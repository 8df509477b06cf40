// Task accuracy with labelled inputs (issue 13): the top class of a row (argmax, the lowest index
// on ties, NaN never wins), the label file's format and its errors, and compareModel's accuracy on a
// small classifier whose labels are made from a run of the float model in the test: every label the
// float model's own top class (all right), every label another class (all wrong), and two classes
// that always tie (identical weight rows: the lowest index is the top class, in every run).
#include "calibration/calibrator.h"
#include "calibration/class_labels.h"
#include "comparison/model_comparison.h"
#include "comparison/task_accuracy.h"
#include "export/comparison_json.h"
#include "export/onnx_builder.h"
#include "folding/model_structure.h"
#include "io/error.h"
#include "io/json_reader.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"

#include <QtTest>

#include <cmath>

namespace {

constexpr size_t kSamples = 6;

// x [1, 4] -> Gemm (W [3, 4], transB) -> y [1, 3]; rows 0 and 1 of W are equal when `tie`.
std::shared_ptr<const bg::ModelStructure> classifier(bool tie)
{
    bg::OnnxBuilder b(13);
    b.input("x", {1, 4}).output("y", {1, 3});
    std::vector<float> w = {1.0f, -0.5f, 0.25f, 0.8f, -0.7f, 0.9f, 0.3f, -0.2f, 0.1f, 0.2f, -0.9f, 0.6f};
    if (tie)
        std::copy(w.begin(), w.begin() + 4, w.begin() + 4);
    b.initializer("W", bg::Tensor({3, 4}, w));
    b.initializer("C", bg::Tensor({3}, std::vector<float>{0.05f, -0.05f, 0.0f}));
    b.node("Gemm", {"x", "W", "C"}, {"y"}, {{"transB", int64_t{1}}}, "fc");
    return bg::makeModelStructure(bg::loadModelFromBytes(b.serialize(), "classifier.onnx"));
}

class Samples : public bg::CalibrationSource {
public:
    size_t count() const override { return kSamples; }
    std::map<std::string, bg::Tensor> sample(size_t i) override
    {
        std::vector<float> v(4);
        for (size_t k = 0; k < 4; ++k)
            v[k] = static_cast<float>(std::sin(1.7 * static_cast<double>(i) + 0.9 * static_cast<double>(k)));
        return {{"x", bg::Tensor({1, 4}, v)}};
    }
    std::string description() const override { return "six fixed samples"; }
};

std::vector<int64_t> floatTopClasses(const bg::ModelStructure& m, Samples& source)
{
    const bg::FloatRuntime rt(m.graph);
    std::vector<int64_t> top;
    for (size_t i = 0; i < source.count(); ++i)
        top.push_back(bg::topClass(rt.run(source.sample(i)).at("y"), "test"));
    return top;
}

bg::ModelComparison compareWith(const bg::ModelStructure& m, Samples& source, const std::vector<int64_t>& labels)
{
    const bg::RangeTable ranges = bg::calibrate(m.graph, m.pairs, source);
    bg::QuantSettings s;
    s.weightBits = 8;
    s.biasBits = 32;
    const bg::FoldAnalysis analysis = bg::analyzeFolds(m.graph, m.pairs, s, ranges);
    bg::ComparisonOptions o;
    o.labels = bg::ClassLabels{"labels.json", labels};
    return bg::compareModel(m, ranges, analysis, source, o);
}

} // namespace

class TestTaskAccuracy : public QObject {
    Q_OBJECT
private slots:
    void topClass_data()
    {
        QTest::addColumn<QVector<float>>("row");
        QTest::addColumn<qlonglong>("expected");
        const float nan = std::nanf("");
        QTest::newRow("plain") << QVector<float>{0.1f, 0.7f, 0.2f} << 1LL;
        QTest::newRow("negative") << QVector<float>{-3.0f, -1.0f, -2.0f} << 1LL;
        QTest::newRow("tie: lowest index") << QVector<float>{0.5f, 0.9f, 0.9f, 0.1f} << 1LL;
        QTest::newRow("all equal") << QVector<float>{2.0f, 2.0f, 2.0f} << 0LL;
        QTest::newRow("NaN never wins") << QVector<float>{nan, 0.3f, nan, 0.2f} << 1LL;
        QTest::newRow("all NaN") << QVector<float>{nan, nan} << -1LL;
    }
    void topClass()
    {
        QFETCH(QVector<float>, row);
        QFETCH(qlonglong, expected);
        const bg::Tensor t({1, static_cast<int64_t>(row.size())}, std::vector<float>(row.begin(), row.end()));
        QCOMPARE(static_cast<qlonglong>(bg::topClass(t, "t")), expected);
    }

    void topClassRefusesOtherShapes()
    {
        const bg::Tensor twoRows({2, 3}, std::vector<float>(6, 0.0f));
        QVERIFY_THROWS_EXCEPTION(bg::Error, bg::topClass(twoRows, "scores"));
    }

    void labelFiles_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");  // empty: accepted
        QTest::newRow("array") << "[3, 0, 7]" << "";
        QTest::newRow("object") << "{\"labels\": [3, 0, 7]}" << "";
        QTest::newRow("fraction") << "[3, 0.5, 7]" << "label 1 is not a non-negative whole number";
        QTest::newRow("negative") << "[-1]" << "label 0 is not a non-negative whole number";
        QTest::newRow("string") << "[1, \"cat\"]" << "label 1 is not";
        QTest::newRow("empty") << "[]" << "empty";
        QTest::newRow("other object") << "{\"classes\": [1]}" << "expected a JSON array";
        QTest::newRow("not json") << "[1, 2" << "labels.json";
    }
    void labelFiles()
    {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        if (problem.isEmpty()) {
            const bg::ClassLabels l = bg::parseClassLabels(text.toStdString(), "labels.json");
            QCOMPARE(l.classes, (std::vector<int64_t>{3, 0, 7}));
            return;
        }
        try {
            bg::parseClassLabels(text.toStdString(), "labels.json");
            QFAIL("accepted");
        } catch (const bg::Error& e) {
            QVERIFY2(QString(e.what()).contains("labels.json"), e.what());
            QVERIFY2(QString(e.what()).contains(problem), e.what());
        }
    }

    void allRightAllWrong()
    {
        const auto m = classifier(false);
        Samples source;
        const std::vector<int64_t> top = floatTopClasses(*m, source);
        const bg::ModelComparison right = compareWith(*m, source, top);
        QVERIFY(right.outputs.at(0).accuracy.has_value());
        const bg::TaskAccuracy& a = *right.outputs[0].accuracy;
        QCOMPARE(a.output, std::string("y"));
        QCOMPARE(a.samples, int64_t(kSamples));
        QCOMPARE(a.floatModel, 1.0);
        // W8 with 32-bit bias on a 3-class linear layer: the integer runs agree with the float model on
        // these samples as often as their top-1 agreement says.
        QCOMPARE(a.quantized, *right.outputs[0].quantized.top1);
        QCOMPARE(a.fixed, *right.outputs[0].fixed.top1);
        QVERIFY(a.exactBias.has_value());

        std::vector<int64_t> wrong = top;
        for (int64_t& l : wrong)
            l = (l + 1) % 3;
        const bg::ModelComparison w = compareWith(*m, source, wrong);
        QCOMPARE(w.outputs[0].accuracy->floatModel, 0.0);
        QCOMPARE(w.outputs[0].accuracy->quantized, 1.0 - a.quantized);  // right there, wrong here (the other 2 labels)
        // The JSON carries the keys.
        const bg::JsonValue root = bg::parseJson(bg::comparisonToJson(w, "classifier.onnx"), "cmp");
        const bg::JsonValue* acc = root.find("outputs")->items()[0].find("accuracy");
        QVERIFY(acc);
        for (const char* key : {"float", "quantized", "fixed", "exact_bias"})
            QVERIFY2(acc->find(key) && acc->find(key)->isNumber(), key);
        QCOMPARE(acc->find("float")->number(), 0.0);
    }

    void tiesGoToTheLowestIndex()
    {
        const auto m = classifier(true);  // classes 0 and 1 score the same on every sample
        Samples source;
        const std::vector<int64_t> top = floatTopClasses(*m, source);
        std::vector<int64_t> low(kSamples), high(kSamples);
        size_t tied = 0;
        for (size_t i = 0; i < kSamples; ++i) {
            tied += top[i] == 0 ? 1 : 0;
            QVERIFY(top[i] != 1);  // never the higher index of the tie
            low[i] = top[i] == 2 ? 2 : 0;
            high[i] = top[i] == 2 ? 2 : 1;
        }
        QVERIFY2(tied > 0, "the samples must reach the tie");
        const bg::ModelComparison c = compareWith(*m, source, low);
        QCOMPARE(c.outputs[0].accuracy->floatModel, 1.0);
        const bg::ModelComparison h = compareWith(*m, source, high);
        QCOMPARE(h.outputs[0].accuracy->floatModel, 1.0 - static_cast<double>(tied) / kSamples);
        // Equal rows quantize to equal codes: the integer runs tie the same way.
        QCOMPARE(h.outputs[0].accuracy->fixed, 1.0 - static_cast<double>(tied) / kSamples);
    }

    void errorsNameTheLabelFile()
    {
        const auto m = classifier(false);
        Samples source;
        auto fails = [&](const std::vector<int64_t>& labels, const QString& problem) {
            try {
                compareWith(*m, source, labels);
                return QString("accepted");
            } catch (const bg::Error& e) {
                const QString what = e.what();
                return what.contains("labels.json") && what.contains(problem) ? QString() : what;
            }
        };
        QCOMPARE(fails({0, 1, 2}, "3 labels for 6 samples"), QString());
        QCOMPARE(fails({0, 1, 2, 0, 1, 3}, "label 3 of sample 5 is past output y's 3 classes"), QString());

        // A model without a rank-2 output: x [1,1,2,2] -> Conv -> y [1,1,2,2].
        bg::OnnxBuilder b(13);
        b.input("x", {1, 4}).output("z");
        b.initializer("shape", bg::Tensor({4}, std::vector<int64_t>{1, 1, 2, 2}));
        b.node("Reshape", {"x", "shape"}, {"z"}, {}, "reshape");
        const auto noScores = bg::makeModelStructure(bg::loadModelFromBytes(b.serialize(), "conv.onnx"));
        try {
            compareWith(*noScores, source, std::vector<int64_t>(kSamples, 0));
            QFAIL("accepted");
        } catch (const bg::Error& e) {
            QVERIFY2(QString(e.what()).contains("labels.json: the model has no rank-2 output"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTaskAccuracy)
#include "tst_task_accuracy.moc"
