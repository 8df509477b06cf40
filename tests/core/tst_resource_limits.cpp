// ResourceLimits (io/resource_limits.h): a model that declares more than the limits allow (a
// 10^12-element initializer with a few bytes of data, a million-node chain, a shape that reaches
// 2^31 elements by arithmetic on constants, huge static input dims) is refused at load, before
// anything of that size is allocated; a shape only known at run time is refused by the kernel; the
// calibration and the comparison refuse to start when their estimated memory passes the limit,
// and a run stops when the tensors it holds pass it.
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "comparison/model_comparison.h"
#include "export/onnx_builder.h"
#include "folding/model_structure.h"
#include "analysis/fold_analysis.h"
#include "io/error.h"
#include "io/resource_limits.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"

#include <onnx/onnx_pb.h>

#include <QtTest>

#include <cmath>

namespace {

using bg::OnnxBuilder;

constexpr int32_t kFloat = 1;
constexpr int32_t kInt64 = 7;

// A protobuf varint.
std::string varint(uint64_t v)
{
    std::string out;
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
    return out;
}

// A model of `nodes` Relu nodes in a chain, written as wire bytes directly: building a million
// NodeProtos through the protobuf API would itself cost what the limit is there to avoid.
std::string reluChain(int64_t nodes)
{
    onnx::ModelProto header;
    header.set_ir_version(7);
    auto* op = header.add_opset_import();
    op->set_domain("");
    op->set_version(13);
    std::string graph;
    onnx::ValueInfoProto in;
    in.set_name("t0");
    in.mutable_type()->mutable_tensor_type()->set_elem_type(kFloat);
    in.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(4);
    for (int64_t k = 0; k < nodes; ++k) {
        onnx::NodeProto n;
        n.set_op_type("Relu");
        n.add_input("t" + std::to_string(k));
        n.add_output("t" + std::to_string(k + 1));
        const std::string nb = n.SerializeAsString();
        graph += '\x0a' + varint(nb.size()) + nb;  // GraphProto.node = 1
    }
    const std::string ib = in.SerializeAsString();
    graph += '\x5a' + varint(ib.size()) + ib;  // GraphProto.input = 11
    onnx::ValueInfoProto out;
    out.set_name("t" + std::to_string(nodes));
    const std::string ob = out.SerializeAsString();
    graph += '\x62' + varint(ob.size()) + ob;  // GraphProto.output = 12
    return header.SerializeAsString() + '\x3a' + varint(graph.size()) + graph;  // ModelProto.graph = 7
}

bg::Tensor ints(std::vector<int64_t> v)
{
    const int64_t n = static_cast<int64_t>(v.size());
    return bg::Tensor(bg::Shape{n}, std::move(v));
}

bg::Tensor floats(bg::Shape shape, float v)
{
    const auto n = static_cast<size_t>(bg::shapeNumel(shape));
    return bg::Tensor(std::move(shape), std::vector<float>(n, v));
}

// The hostile models of the load-time rows.
std::string buildModel(const QString& kind)
{
    if (kind == "chain_1e6")
        return reluChain(1000000);
    if (kind == "chain_11")
        return reluChain(11);
    if (kind == "chain_10")
        return reluChain(10);
    OnnxBuilder b;
    if (kind == "initializer_1e12") {
        // Declared dims of 10^12 elements, 4 bytes of data.
        onnx::ModelProto m;
        m.ParseFromString(OnnxBuilder().input("x", {1, 4}).output("y").node("Add", {"x", "w"}, {"y"}).serialize());
        auto* w = m.mutable_graph()->add_initializer();
        w->set_name("w");
        w->set_data_type(kFloat);
        w->add_dims(1000000);
        w->add_dims(1000000);
        w->set_raw_data(std::string(4, '\0'));
        return m.SerializeAsString();
    }
    if (kind == "constant_of_shape_2e31") {
        b.input("x", {1}).output("y");
        b.initializer("shape", ints({65536, 32768}));
        b.node("ConstantOfShape", {"shape"}, {"big"});
        b.node("Add", {"big", "x"}, {"y"});
    } else if (kind == "expand_2e31") {
        b.input("x", {1, 4}).output("y");
        b.initializer("shape", ints({int64_t{1} << 29, 4}));
        b.node("Expand", {"x", "shape"}, {"y"});
    } else if (kind == "reshape_then_tile_2e31") {
        b.input("x", {1, 4}).output("y");
        b.initializer("shape", ints({4, 1}));
        b.initializer("repeats", ints({int64_t{1} << 29, 1}));
        b.node("Reshape", {"x", "shape"}, {"r"});
        b.node("Tile", {"r", "repeats"}, {"y"});
    } else if (kind == "static_input_2e31") {
        b.input("x", {1, 2, 32768, 32768}).output("y");
        b.node("Relu", {"x"}, {"y"});
    } else if (kind == "conv_pads_2e31") {
        b.input("x", {1, 1, 4, 4}).output("y");
        b.initializer("w", floats({1, 1, 1, 1}, 1.0f));
        b.node("Conv", {"x", "w"}, {"y"}, {{"pads", std::vector<int64_t>{30000, 30000, 30000, 30000}}});
    } else {
        qFatal("unknown kind %s", qPrintable(kind));
    }
    return b.serialize();
}

// x[1,C,H,W] -> Conv 3x3 (C->C) -> BatchNorm -> Relu -> y: calibration and comparison run it.
std::string convBnModel(int64_t channels, int64_t size, bool dynamic)
{
    OnnxBuilder b;
    if (dynamic)
        b.input("x", {1, channels, -1, -1}, kFloat, {"", "", "H", "W"});
    else
        b.input("x", {1, channels, size, size});
    b.output("y");
    b.initializer("w", floats({channels, channels, 3, 3}, 0.05f));
    b.initializer("b", floats({channels}, 0.1f));
    b.initializer("gamma", floats({channels}, 1.0f));
    b.initializer("beta", floats({channels}, 0.0f));
    b.initializer("mean", floats({channels}, 0.0f));
    b.initializer("var", floats({channels}, 1.0f));
    b.node("Conv", {"x", "w", "b"}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    b.node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"bn"}, {}, "bn");
    b.node("Relu", {"bn"}, {"y"}, {}, "relu");
    return b.serialize();
}

} // namespace

class TestResourceLimits : public QObject {
    Q_OBJECT

private slots:
    void refusedAtLoad_data();
    void refusedAtLoad();
    void kernelRefusesComputedShape_data();
    void kernelRefusesComputedShape();
    void calibrationStopsBeforeMemoryLimit_data();
    void calibrationStopsBeforeMemoryLimit();
    void comparisonStopsBeforeMemoryLimit();
    void defaultMemoryLimitIsAFractionOfTheMachine();
};

void TestResourceLimits::refusedAtLoad_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qint64>("maxNodes");  // 0: the default
    QTest::addColumn<QString>("error");    // "" = loads
    QTest::addColumn<QString>("code");
    auto row = [](const char* kind, qint64 maxNodes, const char* error, bg::ErrorCode code) {
        QTest::newRow(kind) << QString(kind) << maxNodes << QString(error) << QString(bg::errorCodeName(code));
    };
    row("initializer_1e12", 0, "over the limit of 2147483648 bytes", bg::ErrorCode::TensorTooLarge);
    row("chain_1e6", 0, "1000000 nodes, over the limit of 200000", bg::ErrorCode::OverLimit);
    row("chain_11", 10, "11 nodes, over the limit of 10", bg::ErrorCode::OverLimit);
    row("chain_10", 10, "", bg::ErrorCode::OverLimit);
    row("constant_of_shape_2e31", 0, "tensor 'big' has shape [65536,32768]", bg::ErrorCode::TensorTooLarge);
    row("expand_2e31", 0, "tensor 'y' has shape [536870912,4]", bg::ErrorCode::TensorTooLarge);
    row("reshape_then_tile_2e31", 0, "tensor 'y' has shape [2147483648,1]", bg::ErrorCode::TensorTooLarge);
    row("static_input_2e31", 0, "tensor 'x' has shape [1,2,32768,32768]", bg::ErrorCode::TensorTooLarge);
    row("conv_pads_2e31", 0, "tensor 'y' has shape [1,1,60004,60004]", bg::ErrorCode::TensorTooLarge);
}

void TestResourceLimits::refusedAtLoad()
{
    QFETCH(QString, kind);
    QFETCH(qint64, maxNodes);
    QFETCH(QString, error);
    QFETCH(QString, code);
    const std::string bytes = buildModel(kind);
    bg::LoadOptions options;
    if (maxNodes > 0)
        options.limits.maxNodes = maxNodes;
    try {
        const bg::Graph g = bg::loadModelFromBytes(bytes, "hostile_" + kind.toStdString() + ".onnx", options);
        QVERIFY2(error.isEmpty(), qPrintable("loaded, expected: " + error));
        QVERIFY(!g.nodes.empty());
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(!error.isEmpty(), qPrintable(what));
        QCOMPARE(QString(bg::errorCodeName(e.code())), code);
        QVERIFY2(what.startsWith("hostile_" + kind + ".onnx"), qPrintable(what));
        QVERIFY2(what.contains(error), qPrintable(what));
    }
}

void TestResourceLimits::kernelRefusesComputedShape_data()
{
    // ConstantOfShape of a shape given as a graph input: only known when the model runs.
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<qint64>("cols");
    QTest::addColumn<qint64>("maxElements");  // 0: the default
    QTest::addColumn<bool>("refused");
    QTest::newRow("2^31 elements, default limit") << qint64{65536} << qint64{32768} << qint64{0} << true;
    QTest::newRow("110 elements, limit 100") << qint64{10} << qint64{11} << qint64{100} << true;
    QTest::newRow("100 elements, limit 100") << qint64{10} << qint64{10} << qint64{100} << false;
}

void TestResourceLimits::kernelRefusesComputedShape()
{
    QFETCH(qint64, rows);
    QFETCH(qint64, cols);
    QFETCH(qint64, maxElements);
    QFETCH(bool, refused);
    OnnxBuilder b;
    b.input("shape", {2}, kInt64).output("y").node("ConstantOfShape", {"shape"}, {"y"}, {}, "fill");
    const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "runtime_shape.onnx");
    bg::RunOptions run;
    if (maxElements > 0)
        run.limits.maxTensorElements = maxElements;
    try {
        const bg::TensorMap out = bg::FloatRuntime(g).run({{"shape", ints({rows, cols})}}, run);
        QVERIFY(!refused);
        QCOMPARE(out.at("y").numel(), rows * cols);
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(refused, qPrintable(what));
        QCOMPARE(e.code(), bg::ErrorCode::TensorTooLarge);
        QVERIFY2(what.contains("runtime_shape.onnx") && what.contains("'fill'") && what.contains("exceeds the limit"),
                 qPrintable(what));
    }
}

void TestResourceLimits::calibrationStopsBeforeMemoryLimit_data()
{
    QTest::addColumn<bool>("dynamic");
    QTest::addColumn<QString>("error");
    // Static shapes: the estimate refuses before the first node runs.
    QTest::newRow("static shapes") << false << "calibration would need about";
    // Dynamic H, W: nothing to estimate; the run stops when its tensors pass the limit.
    QTest::newRow("dynamic shapes") << true << "the run would hold";
}

void TestResourceLimits::calibrationStopsBeforeMemoryLimit()
{
    QFETCH(bool, dynamic);
    QFETCH(QString, error);
    // 16 channels of 64x64 floats: 256 KiB per activation, a few of them live at once.
    const auto model = bg::makeModelStructure(bg::loadModelFromBytes(convBnModel(16, 64, dynamic), "big_activations.onnx"));
    bg::SyntheticShapeOptions shapes;
    shapes.otherDim = 64;
    bg::SyntheticCalibrationSource source(model->graph, shapes, 1);
    bg::CalibrationOptions options;
    options.limits.maxMemoryBytes = 384 * 1024;
    size_t nodesRun = 0;
    options.progress = [&](size_t done, size_t) { nodesRun = done; };
    try {
        bg::calibrate(model->graph, model->pairs, source, options);
        QFAIL("calibration ran past the memory limit");
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QCOMPARE(e.code(), bg::ErrorCode::OverLimit);
        QVERIFY2(what.startsWith("big_activations.onnx") && what.contains(error) && what.contains("384.0 KiB"),
                 qPrintable(what));
        if (!dynamic)
            QCOMPARE(nodesRun, size_t{0});
    }
    // The same calibration under the default limit runs.
    bg::SyntheticCalibrationSource again(model->graph, shapes, 1);
    const bg::RangeTable ranges = bg::calibrate(model->graph, model->pairs, again);
    QVERIFY(ranges.count("y"));
}

void TestResourceLimits::comparisonStopsBeforeMemoryLimit()
{
    const auto model = bg::makeModelStructure(bg::loadModelFromBytes(convBnModel(16, 64, false), "compare_limit.onnx"));
    bg::SyntheticCalibrationSource source(model->graph, {}, 1);
    const bg::RangeTable ranges = bg::calibrate(model->graph, model->pairs, source);
    const bg::FoldAnalysis analysis = bg::analyzeFolds(model->graph, model->pairs, bg::QuantSettings{}, ranges);
    // Calibration alone fits 1 MiB; the comparison holds the kept tensors of four runs at once.
    bg::CalibrationOptions calib;
    calib.limits.maxMemoryBytes = 1 << 20;
    bg::SyntheticCalibrationSource fits(model->graph, {}, 1);
    bg::calibrate(model->graph, model->pairs, fits, calib);
    bg::ComparisonOptions options;
    options.limits.maxMemoryBytes = 1 << 20;
    try {
        bg::compareModel(*model, ranges, analysis, source, options);
        QFAIL("the comparison ran past the memory limit");
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QCOMPARE(e.code(), bg::ErrorCode::OverLimit);
        QVERIFY2(what.startsWith("compare_limit.onnx") && what.contains("the comparison would need about"),
                 qPrintable(what));
    }
    options.limits.maxMemoryBytes = 0;  // the machine's default
    const bg::ModelComparison c = bg::compareModel(*model, ranges, analysis, source, options);
    QCOMPARE(c.samples, size_t{1});
}

void TestResourceLimits::defaultMemoryLimitIsAFractionOfTheMachine()
{
    const int64_t machine = bg::machineMemoryBytes();
    QVERIFY(machine > 0);
    QCOMPARE(bg::defaultMemoryLimitBytes(),
             static_cast<int64_t>(static_cast<double>(machine) * bg::kDefaultMemoryFraction));
    QCOMPARE(bg::ResourceLimits{}.memoryLimit(), bg::defaultMemoryLimitBytes());
    bg::ResourceLimits set;
    set.maxMemoryBytes = 12345;
    QCOMPARE(set.memoryLimit(), int64_t{12345});
}

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "tst_resource_limits.moc"
