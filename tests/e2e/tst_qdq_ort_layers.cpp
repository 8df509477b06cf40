// The QDQ export (QUANT_SPEC §10) layer by layer: every activation BiasGuard quantizes is compared
// as integer codes — ONNX Runtime's QuantizeLinear outputs (added to a copy of the exported model as
// graph outputs, through a Cast to float) against IntegerRuntime's codes of the same tensor, twice:
//   propagated: both pipelines from the same input (what tst_qdq_ort sees at the graph outputs);
//   isolated:   BiasGuard's operator fed ONNX Runtime's input codes (substituteCodes), i.e. each
//               operator's own arithmetic, without what the layers before it passed on.
// Held: in isolation no element differs by more than one code and at most 0.1 % of any tensor's
// elements differ at all (measured: ≤ 0.01 %, the float32 requantization of QLinearConv and the
// float arithmetic of QLinearAdd; docs/SPEC_NOTES.md "QDQ export"). Before BiasGuard's scales were
// float32 (the values the export stores), the SE gates' HardSigmoid differed on up to 5.6 % of their
// elements here. Rows in the onnxruntime arithmetic (tag suffix "onnxruntime") are held to the same
// codes everywhere, isolated and propagated: that arithmetic models each kernel the export makes ONNX
// Runtime run, except a separated ConvTranspose's float32 convolution (held like the exact rows). The per-tensor table, with the first tensor beyond one code, goes to the log (qInfo).
#include "common/ort_runner.h"
#include "common/qdq_test_models.h"
#include "common/test_paths.h"
#include "export/qdq_export.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "model/tensor_file.h"

#include <onnx/onnx_pb.h>

#include <QtTest>

#include <cmath>
#include <map>
#include <set>

namespace {

using bg::Strategy;

// A copy of the QDQ model at `path` whose every QuantizeLinear output is also a graph output (as
// float codes). Returns the tensor each added output holds the codes of, in output order after the
// model's own outputs.
std::vector<std::string> exposeCodes(const std::string& path, const std::string& copy, const std::set<std::string>& tensors)
{
    onnx::ModelProto m;
    if (!m.ParseFromString(bg::readWholeFile(path)))
        return {};
    onnx::GraphProto& g = *m.mutable_graph();
    std::map<std::string, const onnx::NodeProto*> dqOf;  // Q output → the DequantizeLinear reading it
    for (const auto& n : g.node())
        if (n.op_type() == "DequantizeLinear")
            dqOf[n.input(0)] = &n;
    std::vector<std::string> exposed;
    std::vector<onnx::NodeProto> casts;
    for (const auto& n : g.node()) {
        if (n.op_type() != "QuantizeLinear")
            continue;
        auto it = dqOf.find(n.output(0));
        if (it == dqOf.end())
            continue;
        // A produced tensor keeps its name on the DQ's output; a graph input is the Q's input.
        const std::string tensor = tensors.count(it->second->output(0)) ? it->second->output(0) : n.input(0);
        if (!tensors.count(tensor))
            continue;
        onnx::NodeProto& c = casts.emplace_back();
        c.set_op_type("Cast");
        c.set_name(n.output(0) + "_exposed_Cast");
        c.add_input(n.output(0));
        c.add_output(n.output(0) + "_exposed");
        auto* to = c.add_attribute();
        to->set_name("to");
        to->set_type(onnx::AttributeProto::INT);
        to->set_i(onnx::TensorProto::FLOAT);
        onnx::ValueInfoProto* out = g.add_output();
        out->set_name(c.output(0));
        out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
        exposed.push_back(tensor);
    }
    for (auto& c : casts)
        *g.add_node() = std::move(c);
    bg::writeFileAtomically(copy, m.SerializeAsString());
    return exposed;
}

struct TensorAgreement {
    std::string name, op;
    int64_t count = 0, differing = 0, beyondOne = 0, maxDiff = 0;
};

} // namespace

class TestQdqOrtLayers : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QString missing = bgtest::ortMissing();
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
    }

    void codesAgree_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("weightBits");
        QTest::addColumn<int>("biasBits");
        QTest::addColumn<bool>("autoPlan");
        QTest::addColumn<QString>("arithmetic");  // bg::parseArithmetic; "onnxruntime" rows must agree exactly
        const QString cls = "resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
        const QString det = "resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx";
        const QString only = qEnvironmentVariable("BG_QDQ_LAYERS_ROW");  // one row by its tag, when set
        // The whole table takes about 8 minutes on 2 cores: ctest runs three rows that cover both
        // models, both weight widths and both plans (the detector's former worst among them);
        // BG_QDQ_LAYERS_ALL=1 runs all 16.
        const bool all = qEnvironmentVariableIntValue("BG_QDQ_LAYERS_ALL") != 0;
        const QStringList defaults{"cls W4 b16 auto", "cls W8 b12 clamp", "det W8 b8 clamp", "cls W4 b12 auto onnxruntime",
                                   "det W8 b8 auto onnxruntime"};
        // BG_QDQ_LAYERS_ARITHMETIC=onnxruntime traces the rows without a suffix in the other arithmetic.
        const QString envArithmetic = qEnvironmentVariable("BG_QDQ_LAYERS_ARITHMETIC", "exact");
        auto row = [&](const char* base, const QString& m, int h, int w, int n, int wb, int nb, bool a) {
            for (const QString& arithmetic : {QString(), QString("onnxruntime")}) {
                const QString tag = arithmetic.isEmpty() ? QString(base) : QString(base) + " " + arithmetic;
                if (only.isEmpty() ? (all || defaults.contains(tag)) : only == tag)
                    QTest::newRow(qPrintable(tag)) << m << h << w << n << wb << nb << a
                                                   << (arithmetic.isEmpty() ? envArithmetic : arithmetic);
            }
        };
        for (int wb : {4, 8})
            for (int nb : {8, 12, 16})
                for (bool a : {false, true}) {
                    const QString s = QString("W%1 b%2 %3").arg(wb).arg(nb).arg(a ? "auto" : "clamp");
                    // In the onnxruntime arithmetic on tst_qdq_ort's 64 crops: W4 b12 auto was its last row
                    // below 99 % (one SE-gate Mul element, before QLinearMul was modelled).
                    row(qPrintable("cls " + s), cls, 48, 192, 64, wb, nb, a);
                    // The detector at bias 8 only (its slowest rows; W8/b8 clamp was its worst graph output).
                    if (nb == 8)
                        row(qPrintable("det " + s), det, 320, 320, 1, wb, nb, a);
                }
    }

    void codesAgree()
    {
        QFETCH(QString, model);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, samples);
        // BG_QDQ_LAYERS_SAMPLES=64 traces tst_qdq_ort's classifier inputs (the first n are the same).
        samples = qEnvironmentVariableIntValue("BG_QDQ_LAYERS_SAMPLES") > 0 ? qEnvironmentVariableIntValue("BG_QDQ_LAYERS_SAMPLES") : samples;
        QFETCH(int, weightBits);
        QFETCH(int, biasBits);
        QFETCH(bool, autoPlan);
        QFETCH(QString, arithmetic);
        QTemporaryDir dir;
        // The classifier reads text-line crops, the detector its text page (tst_qdq_ort's inputs).
        const bgtest::QdqInputs kind = model.contains("det") ? bgtest::QdqInputs::TextPage : bgtest::QdqInputs::TextLineCrops;
        const bgtest::QdqTestCase c =
            bgtest::prepareQdqTestCase(bgtest::sourcePath(model.toStdString()), height, width, samples, kind);
        const bg::Graph& graph = c.structure->graph;
        bg::QuantSettings settings;
        settings.weightBits = weightBits;
        settings.biasBits = biasBits;
        settings.arithmetic = bg::parseArithmetic(arithmetic.toStdString());
        const bool exactAgreement = settings.arithmetic == bg::Arithmetic::OnnxRuntime;
        const bg::FoldAnalysis analysis = bg::analyzeFolds(graph, c.structure->pairs, settings, c.ranges);
        const bg::IntegerRuntime rt(*c.structure, c.ranges, analysis, bg::FixPlan(autoPlan ? Strategy::Auto : Strategy::Clamp));
        const std::string qdq = dir.filePath("qdq.onnx").toStdString(), exposedModel = dir.filePath("exposed.onnx").toStdString();
        bg::exportQdqModel(c.path, qdq, rt);
        const std::vector<std::string> tensors = rt.quantizedTensors();
        const std::vector<std::string> exposed = exposeCodes(qdq, exposedModel, {tensors.begin(), tensors.end()});
        QVERIFY(!exposed.empty());

        const std::vector<std::string> inputDirs = bgtest::writeOrtInputs(c.inputs, dir.path());
        QString list;
        for (size_t k = 0; k < inputDirs.size(); ++k)
            list += QString::fromStdString(exposedModel + "\t" + inputDirs[k] + "\t" + exposedModel + ".out" + std::to_string(k) + "\n");
        const std::string jobs = dir.filePath("jobs.txt").toStdString();
        bg::writeFileAtomically(jobs, list.toStdString());
        const auto r = bgtest::runOrtBatch(QString::fromStdString(jobs),
                                           {"--threads", "1", "--optimization", qEnvironmentVariable("BG_QDQ_ORT_OPT", "all")});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        // Propagated: both pipelines from the same input. Isolated: BiasGuard's operator on ONNX
        // Runtime's input codes (IntegerRunOptions::substituteCodes), i.e. the operator's own arithmetic.
        std::map<std::string, TensorAgreement> propagated, isolated;
        for (size_t k = 0; k < c.inputs.size(); ++k) {
            std::map<std::string, bg::QuantActivation> ortCodes;
            for (size_t e = 0; e < exposed.size(); ++e) {
                const size_t o = graph.outputs.size() + e;
                const bg::Tensor t =
                    bg::readTensorProtoFile(exposedModel + ".out" + std::to_string(k) + "/output_" + std::to_string(o) + ".pb").tensor;
                bg::QuantActivation& q = ortCodes[exposed[e]];
                for (float v : t.floats())
                    q.values.push_back(static_cast<uint8_t>(v));
            }
            bg::IntegerRunOptions options;
            options.keepActivationCodes = true;
            const bg::IntegerRunResult own = rt.run(c.inputs[k], options);
            options.substituteCodes = &ortCodes;
            const bg::IntegerRunResult fed = rt.run(c.inputs[k], options);
            for (const auto& [run, table] : {std::pair{&own, &propagated}, std::pair{&fed, &isolated}})
                for (const auto& [name, ort] : ortCodes) {
                    const auto it = run->activationCodes.find(name);
                    if (it == run->activationCodes.end())
                        continue;  // a tensor nothing reads after the last group (BiasGuard drops it)
                    QCOMPARE(ort.values.size(), it->second.values.size());
                    TensorAgreement& a = (*table)[name];
                    a.name = name;
                    const int p = graph.producerOf(name);
                    a.op = p < 0 ? "input" : graph.nodes[size_t(p)].opType;
                    for (size_t i = 0; i < ort.values.size(); ++i) {
                        const int64_t d = std::llabs(int64_t(ort.values[i]) - int64_t(it->second.values[i]));
                        a.differing += d != 0;
                        a.beyondOne += d > 1;
                        a.maxDiff = std::max(a.maxDiff, d);
                    }
                    a.count += int64_t(ort.values.size());
                }
        }
        // In graph order: the first tensor beyond one code is where the two pipelines part.
        std::vector<std::pair<int, std::string>> ordered;
        for (const auto& [name, a] : propagated)
            ordered.emplace_back(graph.producerOf(name), name);
        std::sort(ordered.begin(), ordered.end());
        QString first, firstIsolated;
        const auto share = [](const TensorAgreement& a, int64_t n) { return 100.0 * double(n) / double(a.count); };
        for (const auto& [producer, name] : ordered) {
            const TensorAgreement& a = propagated.at(name);
            const TensorAgreement& i = isolated.at(name);
            qInfo("%s | %4d %-18s %-32s | propagated %6.2f %% differ, %6.2f %% > 1, max %3lld | isolated %lld of %lld "
                  "differ (%6.4f %%), %lld > 1, max %3lld", QTest::currentDataTag(), producer, a.op.c_str(), name.c_str(),
                  share(a, a.differing), share(a, a.beyondOne), static_cast<long long>(a.maxDiff),
                  static_cast<long long>(i.differing), static_cast<long long>(i.count), share(i, i.differing),
                  static_cast<long long>(i.beyondOne), static_cast<long long>(i.maxDiff));
            if (first.isEmpty() && a.beyondOne > 0)
                first = QString::fromStdString(name + " (" + a.op + ")");
            if (firstIsolated.isEmpty() && i.beyondOne > 0)
                firstIsolated = QString::fromStdString(name + " (" + i.op + ")");
        }
        qInfo("%s | first tensor beyond one code: %s; isolated: %s", QTest::currentDataTag(),
              first.isEmpty() ? "none" : qPrintable(first), firstIsolated.isEmpty() ? "none" : qPrintable(firstIsolated));
        QVERIFY2(!ordered.empty(), "no quantized tensor was compared");
        // The exact arithmetic: each operator within one code of ONNX Runtime's on ≥ 99.9 % of its
        // elements. The onnxruntime arithmetic, which models every kernel the export makes ONNX Runtime
        // run (QuantizeLinear, QLinearConv/QGemm, the integer chains, QLinearMul): the same codes,
        // in isolation and propagated.
        // Except a separated ConvTranspose (QdqLayerForm::FloatChain: ONNX has no integer form of it),
        // which ONNX Runtime runs in float32 and which nothing downstream of can be held to the same codes.
        std::set<std::string> floatChains;
        for (const bg::QuantizedGroup& qg : rt.quantizedGroups()) {
            const bg::FusionGroup& g = rt.groups().groups[qg.groupIndex];
            if (bg::qdqLayerForm(qg, g.kind) == bg::QdqLayerForm::FloatChain)
                floatChains.insert(g.groupOutput);
        }
        // And an Add of two activations, which ONNX Runtime fuses into QLinearAdd: MLAS has a float32
        // kernel and a fixed-point one (MlasCalcQLinearAddParameters), picked per CPU and scale ratio,
        // and the onnxruntime arithmetic models neither yet (its Add dequantizes, adds and rounds
        // once). Held like the exact rows: on this VNNI EPYC's calibration, 3 of the detector's
        // 153 600 residual-Add elements one code apart in isolation (docs/SPEC_NOTES.md).
        // (The classifier's propagated codes stay held to identical below.)
        std::set<std::string> qlinearAdds;
        for (const bg::Node& node : graph.nodes)
            if (node.opType == "Add" && node.inputs.size() == 2 && !graph.isConstant(node.inputs[0])
                && !graph.isConstant(node.inputs[1]))
                qlinearAdds.insert(node.outputs[0]);
        QStringList failures;
        for (const auto& [name, i] : isolated)
            if (i.maxDiff > 1
                || double(i.differing) > (exactAgreement && !floatChains.count(name) && !qlinearAdds.count(name)
                                              ? 0.0 : 0.001 * double(i.count)))
                failures << QString("%1 (%2): %3 of %4 elements differ in isolation, by up to %5 codes")
                                .arg(QString::fromStdString(name), QString::fromStdString(i.op))
                                .arg(i.differing).arg(i.count).arg(i.maxDiff);
        if (exactAgreement && floatChains.empty())
            for (const auto& [name, a] : propagated)
                if (a.differing > 0)
                    failures << QString("%1 (%2): %3 of %4 elements differ from the same input")
                                    .arg(QString::fromStdString(name), QString::fromStdString(a.op))
                                    .arg(a.differing).arg(a.count);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestQdqOrtLayers)
#include "tst_qdq_ort_layers.moc"
