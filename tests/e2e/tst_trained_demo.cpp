// The trained demo (resources/models/demo/trained_slimmed_cnn.onnx, made by
// tools/demo_model/train_slimmed_demo.py): the committed model, its labelled test set and its
// calibration set load; the task accuracy of the float runtime and of the integer pipeline (clamp
// and auto) at the default settings, computed here from runs on the test set, are the figures
// resources/models/demo/README.md states; and clamp's top-1 agreement with float is clearly below
// the fixed run's, in compareModel's own figures too.
#include "analysis/fold_analysis.h"
#include "calibration/calibration_test_data_source.h"
#include "calibration/calibrator.h"
#include "common/test_paths.h"
#include "comparison/model_comparison.h"
#include "folding/model_structure.h"
#include "integer/integer_runtime.h"
#include "io/json_reader.h"
#include "runtime/float_runtime.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace {

const char* kModel = "resources/models/demo/trained_slimmed_cnn.onnx";
const char* kTestSet = "resources/models/demo/testset";
const char* kCalib = "resources/models/demo/calib";

int64_t argmax(const bg::Tensor& t)
{
    const std::vector<float> v = t.toFloatVector();
    return std::max_element(v.begin(), v.end()) - v.begin();
}

std::vector<int64_t> readLabels()
{
    const bg::JsonValue json = bg::readJsonFile(bgtest::sourcePath(std::string(kTestSet) + "/labels.json"));
    std::vector<int64_t> labels;
    for (const bg::JsonValue& v : json.items())
        labels.push_back(static_cast<int64_t>(v.number()));
    return labels;
}

double accuracy(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels)
{
    int64_t right = 0;
    for (size_t i = 0; i < labels.size(); ++i)
        right += predicted[i] == labels[i] ? 1 : 0;
    return double(right) / double(labels.size());
}

double agreement(const std::vector<int64_t>& a, const std::vector<int64_t>& b) { return accuracy(a, b); }

// "float F %, clamp C %, fixed (auto) X %" in the demo's README, as fractions.
std::vector<double> readmeFigures()
{
    QFile f(QString::fromStdString(bgtest::sourcePath("resources/models/demo/README.md")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QRegularExpression re(R"(float ([0-9.]+) %, clamp ([0-9.]+) %, fixed \(auto\) ([0-9.]+) %)");
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(f.readAll()));
    if (!m.hasMatch())
        return {};
    return {m.captured(1).toDouble() / 100, m.captured(2).toDouble() / 100, m.captured(3).toDouble() / 100};
}

} // namespace

class TestTrainedDemo : public QObject {
    Q_OBJECT
    std::shared_ptr<const bg::ModelStructure> model_;
    std::unique_ptr<bg::TestDataCalibrationSource> testSet_;
    std::vector<int64_t> labels_;
    bg::RangeTable ranges_;
    std::unique_ptr<bg::FoldAnalysis> analysis_;

    std::vector<int64_t> predictFloat()
    {
        const bg::FloatRuntime rt(model_->graph);
        std::vector<int64_t> out;
        for (size_t i = 0; i < testSet_->count(); ++i)
            out.push_back(argmax(rt.run(testSet_->sample(i)).at(model_->graph.outputs[0].name)));
        return out;
    }

    std::vector<int64_t> predictInteger(bg::Strategy strategy)
    {
        const bg::IntegerRuntime rt(*model_, ranges_, *analysis_, bg::FixPlan(strategy));
        std::vector<int64_t> out;
        for (size_t i = 0; i < testSet_->count(); ++i)
            out.push_back(argmax(rt.run(testSet_->sample(i)).outputs.at(model_->graph.outputs[0].name)));
        return out;
    }

private slots:
    void initTestCase()
    {
        model_ = bg::loadModelStructure(bgtest::sourcePath(kModel));
        testSet_ = std::make_unique<bg::TestDataCalibrationSource>(bgtest::sourcePath(kTestSet), model_->graph);
        labels_ = readLabels();
        bg::TestDataCalibrationSource calib(bgtest::sourcePath(kCalib), model_->graph);
        ranges_ = bg::calibrate(model_->graph, model_->pairs, calib);
        analysis_ = std::make_unique<bg::FoldAnalysis>(
            bg::analyzeFolds(model_->graph, model_->pairs, bg::QuantSettings{}, ranges_));
    }

    void setsLoad()
    {
        // One label per test sample, every label a class of the [1, 10] logits.
        QVERIFY(testSet_->count() >= 100);
        QCOMPARE(labels_.size(), testSet_->count());
        for (int64_t y : labels_)
            QVERIFY(y >= 0 && y < 10);
        // Every Conv is followed by a BatchNormalization the exporter kept: four foldable pairs.
        QCOMPARE(model_->pairs.pairs.size(), size_t(4));
        // The defaults (W4/A8, 16-bit bias, per channel) put slimmed channels out of range.
        int64_t outOfRange = 0;
        for (const auto& layer : analysis_->layers)
            outOfRange += layer.outOfRange;
        qInfo("out-of-range channels at the defaults: %lld", static_cast<long long>(outOfRange));
        QVERIFY(outOfRange > 0);
    }

    void accuracyAtDefaults()
    {
        const std::vector<int64_t> fl = predictFloat();
        const std::vector<int64_t> clamp = predictInteger(bg::Strategy::Clamp);
        const std::vector<int64_t> fixed = predictInteger(bg::Strategy::Auto);
        const double accFloat = accuracy(fl, labels_), accClamp = accuracy(clamp, labels_);
        const double accFixed = accuracy(fixed, labels_);
        qInfo("accuracy: float %.1f %%, clamp %.1f %%, fixed (auto) %.1f %%", 100 * accFloat, 100 * accClamp,
              100 * accFixed);
        QVERIFY(accFloat >= 0.9);
        QVERIFY2(accFixed >= accFloat - 0.05, "the fix restores the float accuracy");
        QVERIFY2(accClamp <= accFixed - 0.2, "clamping the slimmed channels' bias costs accuracy");
        // The README states these figures (one sample of slack for a float near-tie).
        const std::vector<double> readme = readmeFigures();
        QVERIFY2(readme.size() == 3, "resources/models/demo/README.md states the three accuracies");
        const double slack = 1.0 / double(labels_.size()) + 1e-9;
        QVERIFY(std::abs(readme[0] - accFloat) <= slack);
        QVERIFY(std::abs(readme[1] - accClamp) <= slack);
        QVERIFY(std::abs(readme[2] - accFixed) <= slack);

        // compareModel's top-1 agreement is the agreement of these runs' argmaxes with float.
        bg::ComparisonOptions options;
        options.plan = bg::FixPlan(bg::Strategy::Auto);
        options.perLayer = false;
        const bg::ModelComparison c = bg::compareModel(*model_, ranges_, *analysis_, *testSet_, options);
        QCOMPARE(c.outputs.size(), size_t(1));
        const bg::OutputComparison& o = c.outputs[0];
        QVERIFY(o.quantized.top1.has_value() && o.fixed.top1.has_value());
        qInfo("top-1 agreement with float: clamp %.3f, fixed %.3f; SQNR clamp %.2f dB, fixed %.2f dB, exact %.2f dB",
              *o.quantized.top1, *o.fixed.top1, o.quantized.sqnrDb, o.fixed.sqnrDb, o.exactBias->sqnrDb);
        QVERIFY(std::abs(*o.quantized.top1 - agreement(clamp, fl)) < 1e-9);
        QVERIFY(std::abs(*o.fixed.top1 - agreement(fixed, fl)) < 1e-9);
        QVERIFY(*o.quantized.top1 <= *o.fixed.top1 - 0.2);
        QVERIFY(o.fixed.sqnrDb > o.quantized.sqnrDb);
    }
};

QTEST_APPLESS_MAIN(TestTrainedDemo)
#include "tst_trained_demo.moc"
