// The QDQ export (QUANT_SPEC §10) run by ONNX Runtime computes what BiasGuard's integer mode says:
// for the demo model, both PaddleOCR models (classifier at 48x192, detector at 320x320) and a model
// with Gemm (transB 0 and 1) and MatMul heads, at W4 and W8, bias 8, 12 and 16 bits, with the
// clamp and the auto plans, ONNX Runtime's outputs (npm onnxruntime-node, CPU, every graph
// optimisation on, so its QDQ fusions into QLinearConv & co. run) are within one output step of
// IntegerRuntime's on at least 99 % of the elements, and their SQNR against the float model is
// BiasGuard's within 0.5 dB. The classifier meets that only with the onnxruntime arithmetic
// (with the exact one 88-100 % of its logits, see the _data table). The table of figures goes to
// the test log (qInfo).
//
// Each model gets inputs it was made for, calibrated on themselves: the classifier 64 text-line
// crops (on noise its float logits move with any perturbation, a poor witness), the detector a text
// page, the demo and the Gemm/MatMul model noise. On AMD EPYC, 2 shared cores, the whole test took
// 326-393 s on an AVX2-only machine and 113 s on an AVX-512 VNNI one.
//
// ONNX Runtime comes from scripts/install-ort.sh, which scripts/test.sh runs: a missing install is
// a failure with the command that fixes it, not a skip.
#include "common/ort_runner.h"
#include "common/qdq_test_models.h"
#include "common/test_paths.h"
#include "comparison/comparison_metrics.h"
#include "export/qdq_export.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <onnx/onnx_pb.h>

#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {

using bg::Strategy;

// A copy of the model at `path` that also outputs `tensor` (rank-2 [1, C]): the classifier's
// logits, where "within one output step" means what it says; after its Softmax a step of the
// logits is several steps of a two-class probability.
std::string withExtraOutput(const std::string& path, const std::string& tensor, int64_t channels, const QString& dir)
{
    onnx::ModelProto m;
    if (!m.ParseFromString(bg::readWholeFile(path)))
        return {};
    onnx::ValueInfoProto* out = m.mutable_graph()->add_output();
    out->set_name(tensor);
    auto* t = out->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_value(1);
    t->mutable_shape()->add_dim()->set_dim_value(channels);
    const std::string copy = (dir + "/with_logits.onnx").toStdString();
    bg::writeFileAtomically(copy, m.SerializeAsString());
    return copy;
}

struct Job {
    QString label;
    bool autoPlan = false;
    std::string model;
    std::vector<bg::TensorMap> integer;    // IntegerRuntime's outputs, per sample
    std::map<std::string, double> step;    // output scale s_y per graph output
};

} // namespace

class TestQdqOrt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QString missing = bgtest::ortMissing();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    void matchesOnnxRuntime_data()
    {
        using enum bgtest::QdqInputs;
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("inputKind");  // bgtest::QdqInputs
        QTest::addColumn<QString>("logits");  // a tensor to check besides the graph outputs
        // The bounds each row is held to: the issue's, 99 % of the elements within one output step
        // and SQNR within 0.5 dB, with BiasGuard's integer mode in either arithmetic (QuantSettings::
        // arithmetic): exact (§3/§6) on the demo, the detector and the Gemm/MatMul model, and
        // onnxruntime (float32, half to even: what ONNX Runtime's kernels compute) on all four.
        QTest::addColumn<double>("minWithin");      // clamp plan
        QTest::addColumn<double>("minWithinAuto");  // auto plan
        QTest::addColumn<double>("maxSqnrGap");
        QTest::addColumn<QString>("arithmetic");  // bg::parseArithmetic
        // The demo on 32 noise samples (320 logits): 100 % at every setting (with 8 samples W8/b16
        // clamp had one of 80 logits two steps apart, 98.75 %).
        const QString demo = "resources/models/demo/slimmed_cnn.onnx";
        const QString cls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
        const QString det = "resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx";
        for (const QString arithmetic : {"exact", "onnxruntime"}) {
            const QByteArray tag = "/" + arithmetic.toLatin1();
            QTest::newRow("demo" + tag) << demo << 0 << 0 << 32 << int(Noise) << "" << 0.99 << 0.99 << 0.5 << arithmetic;
            QTest::newRow("det" + tag) << det << 320 << 320 << 1 << int(TextPage) << "" << 0.99 << 0.99 << 0.5 << arithmetic;
            QTest::newRow("heads" + tag) << "" << 0 << 0 << 8 << int(Noise) << "" << 0.99 << 0.99 << 0.5 << arithmetic;
        }
        // The classifier on 64 text-line crops (textLineCropTestInput: odd samples turned by 180
        // degrees; the float model tells the two apart on 13 of the first 16), checked at its 2 logits
        // per sample, with the arithmetic ONNX Runtime runs: clamp plans are fused QLinearConvs, auto
        // plans' separated layers ConvInteger chains (QdqLayerForm), its SE gates QLinearMuls, all of
        // which the onnxruntime arithmetic models. Measured (AVX-512 VNNI EPYC, 2 cores): 100 % and 0
        // codes apart at every setting, SQNR within 0.02 dB. Before the chains and QLinearMul were
        // modelled the auto rows were 84-96 %. Held to the bounds.
        // With the exact arithmetic (§3/§6) the rows are 92-100 % (SPEC_NOTES "QDQ export"); that row
        // is not run here.
        QTest::newRow("cls/onnxruntime") << cls << 48 << 192 << 64 << int(TextLineCrops) << "p2o.Add.87" << 0.99 << 0.99
                                         << 0.5 << "onnxruntime";
    }

    void matchesOnnxRuntime()
    {
        QFETCH(QString, model);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, samples);
        QFETCH(int, inputKind);
        QFETCH(QString, logits);
        QFETCH(double, minWithin);
        QFETCH(double, minWithinAuto);
        QFETCH(double, maxSqnrGap);
        QFETCH(QString, arithmetic);
        QTemporaryDir dir;
        std::string path = model.isEmpty() ? bgtest::writeHeadsModel(dir.path()) : bgtest::sourcePath(model.toStdString());
        if (!logits.isEmpty())
            path = withExtraOutput(path, logits.toStdString(), 2, dir.path());
        const bgtest::QdqTestCase c = bgtest::prepareQdqTestCase(path, height, width, samples, bgtest::QdqInputs(inputKind));
        const auto& structure = c.structure;
        const bg::Graph& graph = structure->graph;
        const std::vector<bg::TensorMap>& inputs = c.inputs;
        const bg::RangeTable& ranges = c.ranges;
        std::vector<bg::TensorMap> ref;
        for (const bg::TensorMap& in : inputs)
            ref.push_back(bg::FloatRuntime(graph).run(in));
        const std::vector<std::string> inputDirs = bgtest::writeOrtInputs(inputs, dir.path());

        std::vector<Job> jobs;
        int64_t separated = 0, floatSoftmax = 0;
        for (int w : {4, 8})
            for (int nb : {8, 12, 16})
                for (Strategy plan : {Strategy::Clamp, Strategy::Auto}) {
                    bg::QuantSettings settings;
                    settings.weightBits = w;
                    settings.biasBits = nb;
                    settings.arithmetic = bg::parseArithmetic(arithmetic.toStdString());
                    const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, structure->pairs, settings, ranges);
                    const bg::IntegerRuntime rt(*structure, ranges, analysis, bg::FixPlan(plan));
                    if (plan == Strategy::Auto)
                        separated += rt.staticStats().channelsPerStrategy.at(Strategy::Separate);
                    Job job;
                    job.autoPlan = plan == Strategy::Auto;
                    job.label = QString("W%1 b%2 %3").arg(w).arg(nb).arg(plan == Strategy::Auto ? "auto" : "clamp");
                    job.model = dir.filePath(QString("qdq_w%1_b%2_%3.onnx").arg(w).arg(nb).arg(int(plan))).toStdString();
                    floatSoftmax += bg::exportQdqModel(path, job.model, rt).floatSoftmaxOutputs;
                    for (const bg::TensorMap& in : inputs)
                        job.integer.push_back(rt.run(in).outputs);
                    for (const auto& out : graph.outputs)
                        job.step[out.name] = rt.activationQuant(out.name).scale;
                    jobs.push_back(std::move(job));
                }
        if (qEnvironmentVariableIsSet("BG_QDQ_KEEP")) {
            dir.setAutoRemove(false);
            qInfo("kept %s", qPrintable(dir.path()));
        }
        QVERIFY2(separated > 0, "the auto plan separates no channel at these widths: the test would not test the split");

        QString list;
        for (const Job& j : jobs)
            for (size_t k = 0; k < inputs.size(); ++k)
                list += QString::fromStdString(j.model + "\t" + inputDirs[k] + "\t" + j.model + ".out" + std::to_string(k) + "\n");
        const std::string jobsFile = dir.filePath("jobs.txt").toStdString();
        bg::writeFileAtomically(jobsFile, list.toStdString());
        const auto r = bgtest::runOrtBatch(QString::fromStdString(jobsFile),
                                           {"--threads", "1", "--optimization", qEnvironmentVariable("BG_QDQ_ORT_OPT", "all")});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        QStringList failures;
        for (const Job& j : jobs) {
            for (size_t o = 0; o < graph.outputs.size(); ++o) {
                const std::string& name = graph.outputs[o].name;
                // Over all samples: elements within one step, and Σref², Σ(ref − x)² of both runtimes.
                int64_t within = 0, count = 0;
                double signal = 0, errOrt = 0, errOurs = 0, maxSteps = 0;
                for (size_t k = 0; k < inputs.size(); ++k) {
                    const bg::Tensor ort =
                        bg::readTensorProtoFile(j.model + ".out" + std::to_string(k) + "/output_" + std::to_string(o) + ".pb").tensor;
                    const bg::Tensor& ours = j.integer[k].at(name);
                    QCOMPARE(ort.shape(), ours.shape());
                    const std::span<const float> a = ort.floats(), b = ours.floats(), f = ref[k].at(name).floats();
                    for (size_t i = 0; i < a.size(); ++i) {
                        const double steps = std::fabs(double(a[i]) - double(b[i])) / j.step.at(name);
                        within += steps <= 1.001 ? 1 : 0;
                        maxSteps = std::max(maxSteps, steps);
                        signal += double(f[i]) * f[i];
                        errOrt += (double(f[i]) - a[i]) * (double(f[i]) - a[i]);
                        errOurs += (double(f[i]) - b[i]) * (double(f[i]) - b[i]);
                    }
                    count += int64_t(a.size());
                }
                const double share = double(within) / double(count);
                const double sqnrOrt = 10 * std::log10(signal / errOrt), sqnrOurs = 10 * std::log10(signal / errOurs);
                // The export leaves a final Softmax float (ONNX Runtime's QLinearSoftmax, SPEC_NOTES):
                // reported, not held to BiasGuard's quantized probabilities; its logits are checked.
                const int producer = graph.producerOf(name);
                const bool floatSoftmaxOutput = floatSoftmax > 0 && producer >= 0 && graph.nodes[size_t(producer)].opType == "Softmax";
                qInfo("%s | %s | %s | %.2f %% within one step (%lld of %lld elements), at most %.0f apart | SQNR ORT %.2f dB, "
                      "BiasGuard %.2f dB%s", QTest::currentDataTag(), qPrintable(j.label), name.c_str(), 100.0 * share,
                      static_cast<long long>(within), static_cast<long long>(count), std::round(maxSteps), sqnrOrt, sqnrOurs,
                      floatSoftmaxOutput ? " (Softmax left float in the export)" : "");
                if (floatSoftmaxOutput)
                    continue;
                if (share < (j.autoPlan ? minWithinAuto : minWithin))
                    failures << QString("%1 %2: only %3 % of ONNX Runtime's elements within one step")
                                    .arg(j.label, QString::fromStdString(name)).arg(100 * share);
                if (!(std::fabs(sqnrOrt - sqnrOurs) <= maxSqnrGap || (std::isinf(sqnrOrt) && std::isinf(sqnrOurs))))
                    failures << QString("%1 %2: SQNR ORT %3 dB vs BiasGuard %4 dB")
                                    .arg(j.label, QString::fromStdString(name)).arg(sqnrOrt).arg(sqnrOurs);
            }
        }
        // Every setting is reported before the verdict, so one run shows the whole table.
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestQdqOrt)
#include "tst_qdq_ort.moc"
