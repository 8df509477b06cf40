// The ONNX loader: every malformed model gives the right bg::Error (code, file name, a telling
// message) and never a crash; every storage form ONNX allows decodes to the right values.
#include "common/test_paths.h"

#include "io/error.h"
#include "model/model_loader.h"

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace {

namespace fs = std::filesystem;

onnx::ModelProto baseModel(int64_t opset = 13)
{
    onnx::ModelProto m;
    m.set_ir_version(7);
    m.set_producer_name("tst_model_loader");
    auto* op = m.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    auto* g = m.mutable_graph();
    g->set_name("g");
    auto* in = g->add_input();
    in->set_name("x");
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_value(1);
    tt->mutable_shape()->add_dim()->set_dim_value(4);
    g->add_output()->set_name("y");
    return m;
}

onnx::TensorProto* addInit(onnx::ModelProto& m, const std::string& name, std::vector<int64_t> dims,
                           int32_t type = onnx::TensorProto::FLOAT)
{
    auto* t = m.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (int64_t d : dims)
        t->add_dims(d);
    return t;
}

onnx::NodeProto* addNode(onnx::ModelProto& m, const std::string& op, std::vector<std::string> ins,
                         std::vector<std::string> outs, const std::string& name)
{
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto& i : ins)
        n->add_input(i);
    for (auto& o : outs)
        n->add_output(o);
    return n;
}

// x + w -> y with w = [1, 2, 3, 4] as float_data: the valid model the malformed ones start from.
onnx::ModelProto validModel()
{
    onnx::ModelProto m = baseModel();
    auto* w = addInit(m, "w", {4});
    for (float v : {1.0f, 2.0f, 3.0f, 4.0f})
        w->add_float_data(v);
    addNode(m, "Add", {"x", "w"}, {"y"}, "add");
    return m;
}

// A valid model whose bytes are mostly one big initializer, so that cuts land inside the graph.
std::string bigValidModelBytes()
{
    onnx::ModelProto m = baseModel();
    auto* w = addInit(m, "w", {1, 4});
    std::string raw(16, '\0');
    w->set_raw_data(raw);
    auto* big = addInit(m, "unused", {4096});
    big->set_raw_data(std::string(4096 * 4, '\x11'));
    addNode(m, "Add", {"x", "w"}, {"y"}, "add");
    return m.SerializeAsString();
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void save(const std::string& path, const onnx::ModelProto& m)
{
    writeBytes(path, m.SerializeAsString());
}

onnx::TensorProto* externalInit(onnx::ModelProto& m, const std::string& location, int64_t offset, int64_t length)
{
    auto* w = addInit(m, "w", {4});
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [w](const std::string& k, const std::string& v) {
        auto* e = w->add_external_data();
        e->set_key(k);
        e->set_value(v);
    };
    add("location", location);
    if (offset >= 0)
        add("offset", std::to_string(offset));
    if (length >= 0)
        add("length", std::to_string(length));
    return w;
}

std::string floatBytes(const std::vector<float>& v)
{
    std::string s(v.size() * 4, '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
}

// Builds the malformed model `kind` inside `dir` and returns the path to load.
std::string buildCase(const QString& kind, const std::string& dir)
{
    const std::string path = dir + "/" + kind.toStdString() + ".onnx";
    onnx::ModelProto m = validModel();
    auto* g = m.mutable_graph();
    if (kind == "empty_file") {
        writeBytes(path, "");
    } else if (kind == "garbage_bytes") {
        writeBytes(path, std::string("this is a text file, not a model\n\xff\xfe\x00\x01", 38));
    } else if (kind.startsWith("truncated_")) {
        const std::string bytes = bigValidModelBytes();
        const double frac = kind.mid(10).toDouble() / 100.0;
        writeBytes(path, bytes.substr(0, static_cast<size_t>(static_cast<double>(bytes.size()) * frac)));
    } else if (kind == "tensorproto_file") {
        onnx::TensorProto t;
        t.add_dims(2);
        t.add_dims(2);
        t.set_data_type(onnx::TensorProto::FLOAT);
        t.set_raw_data(floatBytes({1, 2, 3, 4}));
        t.set_name("t");
        writeBytes(path, t.SerializeAsString());
    } else if (kind == "no_graph") {
        m.clear_graph();
        save(path, m);
    } else if (kind == "dangling_input") {
        g->mutable_node(0)->set_input(1, "ghost");
        save(path, m);
    } else if (kind == "cyclic_graph") {
        g->mutable_node(0)->set_input(1, "z");
        addNode(m, "Relu", {"y"}, {"z"}, "loop_back");
        save(path, m);
    } else if (kind == "duplicate_producer") {
        addNode(m, "Relu", {"x"}, {"y"}, "second_writer");
        save(path, m);
    } else if (kind == "huge_dims_overflow") {
        auto* t = addInit(m, "huge", {int64_t{1} << 40, int64_t{1} << 40});
        t->set_raw_data("");
        save(path, m);
    } else if (kind == "huge_dims_over_limit") {
        auto* t = addInit(m, "huge", {int64_t{1} << 20, int64_t{1} << 20});
        t->add_float_data(0);
        save(path, m);
    } else if (kind == "negative_dim") {
        auto* t = addInit(m, "neg", {2, -3});
        t->add_float_data(0);
        save(path, m);
    } else if (kind == "raw_data_size_mismatch") {
        auto* t = addInit(m, "short", {2, 2});
        t->set_raw_data(std::string(7, '\0'));
        save(path, m);
    } else if (kind == "typed_count_mismatch") {
        auto* t = addInit(m, "few", {4});
        t->add_float_data(1);
        t->add_float_data(2);
        t->add_float_data(3);
        save(path, m);
    } else if (kind.startsWith("external_")) {
        fs::create_directories(dir + "/model");
        const std::string modelPath = dir + "/model/" + kind.toStdString() + ".onnx";
        writeBytes(dir + "/outside.bin", floatBytes({1, 2, 3, 4}));
        writeBytes(dir + "/model/short.bin", floatBytes({1, 2}));
        g->clear_initializer();
        if (kind == "external_dotdot_escape")
            externalInit(m, "../outside.bin", -1, -1);
        else if (kind == "external_absolute_path")
            externalInit(m, dir + "/outside.bin", -1, -1);
        else if (kind == "external_missing_file")
            externalInit(m, "weights_not_there.bin", -1, -1);
        else if (kind == "external_short_file")
            externalInit(m, "short.bin", 0, 16);
        else if (kind == "external_offset_beyond_end")
            externalInit(m, "short.bin", 100, 16);
        else if (kind == "external_symlink_escape") {
            fs::create_symlink(dir + "/outside.bin", dir + "/model/link.bin");
            externalInit(m, "link.bin", -1, -1);
        }
        save(modelPath, m);
        return modelPath;
    } else if (kind == "string_initializer") {
        auto* t = addInit(m, "names", {1}, onnx::TensorProto::STRING);
        t->add_string_data("hello");
        save(path, m);
    } else if (kind == "string_constant_node") {
        auto* n = addNode(m, "Constant", {}, {"s"}, "string_const");
        auto* a = n->add_attribute();
        a->set_name("value_string");
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s("text");
        save(path, m);
    } else if (kind == "opset_too_new") {
        m.mutable_opset_import(0)->set_version(19);
        save(path, m);
    } else if (kind == "no_default_opset") {
        m.clear_opset_import();
        save(path, m);
    } else if (kind == "conv_strides_as_float") {
        auto* w = addInit(m, "cw", {1, 1, 1, 1});
        w->add_float_data(1);
        g->mutable_node(0)->set_output(0, "a");
        auto* conv = addNode(m, "Conv", {"a", "cw"}, {"y"}, "conv_bad_strides");
        auto* attr = conv->add_attribute();
        attr->set_name("strides");
        attr->set_type(onnx::AttributeProto::FLOAT);
        attr->set_f(2.0f);
        save(path, m);
    } else if (kind == "over_small_limit") {
        auto* t = addInit(m, "hundred", {100});
        for (int k = 0; k < 100; ++k)
            t->add_float_data(static_cast<float>(k));
        save(path, m);
    } else if (kind == "output_never_produced") {
        g->add_output()->set_name("nobody_makes_this");
        save(path, m);
    } else if (kind == "missing_file") {
        return dir + "/does_not_exist.onnx";
    } else if (kind == "folder_not_file") {
        fs::create_directories(dir + "/a_folder.onnx");
        return dir + "/a_folder.onnx";
    } else {
        qFatal("unknown case %s", qPrintable(kind));
    }
    return path;
}

bool sameFloat(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

} // namespace

class TestModelLoader : public QObject {
    Q_OBJECT

private slots:
    void malformedModels_data();
    void malformedModels();
    void initializerEncodings_data();
    void initializerEncodings();
    void constantNodeForms();
    void externalDataLoads();
    void provenanceRecorded();
    void oldIrInputsThatAreInitializers();
    void nodesAreSortedTopologically();
    void shapeInferenceFillsValueInfo();
    void attributesDecoded();
    void fromBytesMatchesFromFile();
    void everyPrefixAndByteFlipFailsCleanly();
    void paddleOcrClassifier();
    void paddleOcrDetector();
};

void TestModelLoader::malformedModels_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("maxBytes");
    const qint64 dflt = qint64{2} << 30;
    auto row = [&](const char* kind, bg::ErrorCode code, const char* msg, qint64 maxBytes) {
        QTest::newRow(kind) << QString(kind) << static_cast<int>(code) << QString(msg) << maxBytes;
    };
    row("missing_file", bg::ErrorCode::FileNotFound, "no such file", dflt);
    row("folder_not_file", bg::ErrorCode::FileUnreadable, "folder", dflt);
    row("empty_file", bg::ErrorCode::NotOnnx, "empty", dflt);
    row("garbage_bytes", bg::ErrorCode::NotOnnx, "not an ONNX model", dflt);
    row("truncated_20", bg::ErrorCode::Truncated, "truncated", dflt);
    row("truncated_50", bg::ErrorCode::Truncated, "truncated", dflt);
    row("truncated_90", bg::ErrorCode::Truncated, "truncated", dflt);
    row("truncated_99", bg::ErrorCode::Truncated, "truncated", dflt);
    row("tensorproto_file", bg::ErrorCode::NotOnnx, "not an ONNX model", dflt);
    row("no_graph", bg::ErrorCode::InvalidModel, "no graph", dflt);
    row("dangling_input", bg::ErrorCode::MissingTensor, "Add node 'add' reads 'ghost'", dflt);
    row("cyclic_graph", bg::ErrorCode::CyclicGraph, "cycle", dflt);
    row("duplicate_producer", bg::ErrorCode::InvalidModel, "'y' is produced twice", dflt);
    row("output_never_produced", bg::ErrorCode::MissingTensor, "nobody_makes_this", dflt);
    row("huge_dims_overflow", bg::ErrorCode::TensorTooLarge, "huge", dflt);
    row("huge_dims_over_limit", bg::ErrorCode::TensorTooLarge, "over the limit", dflt);
    row("negative_dim", bg::ErrorCode::InvalidModel, "negative dimension -3", dflt);
    row("raw_data_size_mismatch", bg::ErrorCode::InvalidModel, "holds 7 bytes", dflt);
    row("typed_count_mismatch", bg::ErrorCode::InvalidModel, "holds 3 values", dflt);
    row("external_dotdot_escape", bg::ErrorCode::ExternalData, "'..'", dflt);
    row("external_absolute_path", bg::ErrorCode::ExternalData, "absolute path", dflt);
    row("external_missing_file", bg::ErrorCode::ExternalData, "does not exist", dflt);
    row("external_short_file", bg::ErrorCode::ExternalData, "too short", dflt);
    row("external_offset_beyond_end", bg::ErrorCode::ExternalData, "beyond the end", dflt);
    row("external_symlink_escape", bg::ErrorCode::ExternalData, "outside the model's folder", dflt);
    row("string_initializer", bg::ErrorCode::UnsupportedType, "string", dflt);
    row("string_constant_node", bg::ErrorCode::UnsupportedType, "string constants", dflt);
    row("opset_too_new", bg::ErrorCode::UnsupportedOp, "opset 19", dflt);
    row("no_default_opset", bg::ErrorCode::InvalidModel, "no opset", dflt);
    row("conv_strides_as_float", bg::ErrorCode::BadAttribute, "attribute 'strides' is float", dflt);
    row("over_small_limit", bg::ErrorCode::TensorTooLarge, "over the limit of 64 bytes", 64);
}

void TestModelLoader::malformedModels()
{
    QFETCH(QString, kind);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(qint64, maxBytes);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string path = buildCase(kind, tmp.path().toStdString());
    bg::LoadOptions options;
    options.limits.maxTensorBytes = maxBytes;
    try {
        bg::loadModel(path, options);
        QFAIL("the model loaded");
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(static_cast<int>(e.code()) == code,
                 qPrintable(QString("got code %1: %2").arg(bg::errorCodeName(e.code()), what)));
        QVERIFY2(what.contains(QString::fromStdString(fs::path(path).filename().string())), qPrintable(what));
        QVERIFY2(what.contains(message), qPrintable(what));
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("a non-bg exception escaped: ") + e.what()));
    }
}

void TestModelLoader::initializerEncodings_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("elemType");
    QTest::addColumn<QList<double>>("expected");
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("float_data") << "float_data" << 1 << QList<double>{1.5, -2.25, 0.0};
    QTest::newRow("float raw_data") << "float_raw" << 1 << QList<double>{1.5, -2.25, 0.0};
    QTest::newRow("double_data") << "double_data" << 11 << QList<double>{0.5, -1e10, 3.0};
    QTest::newRow("double raw_data") << "double_raw" << 11 << QList<double>{0.5, -1e10, 3.0};
    QTest::newRow("int32_data int32") << "int32_data" << 6 << QList<double>{-7, 0, 2147483647};
    QTest::newRow("int32_data int8") << "int8_int32" << 3 << QList<double>{-128, -1, 127};
    QTest::newRow("int32_data uint8") << "uint8_int32" << 2 << QList<double>{0, 200, 255};
    QTest::newRow("int32_data bool") << "bool_int32" << 9 << QList<double>{1, 0, 1};
    QTest::newRow("int32_data int16") << "int16_int32" << 5 << QList<double>{-32768, 5, 32767};
    QTest::newRow("int32_data uint16") << "uint16_int32" << 4 << QList<double>{0, 40000, 65535};
    QTest::newRow("int8 raw_data") << "int8_raw" << 3 << QList<double>{-128, -1, 127};
    QTest::newRow("uint16 raw_data") << "uint16_raw" << 4 << QList<double>{1, 258, 65535};
    QTest::newRow("int64_data") << "int64_data" << 7 << QList<double>{-5, 1099511627776.0, 7};
    QTest::newRow("int64 raw_data") << "int64_raw" << 7 << QList<double>{-5, 1099511627776.0, 7};
    QTest::newRow("uint64_data uint32") << "uint32_u64" << 12 << QList<double>{0, 4000000000.0, 9};
    QTest::newRow("uint64_data uint64") << "uint64_u64" << 13 << QList<double>{1, 2, 3};
    // float16 bit patterns: 1, -2, 1/3 rounded, smallest subnormal 2^-24, largest subnormal
    // 1023*2^-24, largest finite 65504, +inf, -inf, NaN, -0.
    const QList<double> half{1.0, -2.0, 0.333251953125, 5.9604644775390625e-08, 6.097555160522461e-05,
                             65504.0, inf, -inf, nan, -0.0};
    QTest::newRow("float16 raw_data") << "f16_raw" << 10 << half;
    QTest::newRow("float16 int32_data") << "f16_int32" << 10 << half;
    // bfloat16 bit patterns: 1, -3, 3.140625, 2^-133 (a float32 subnormal), +inf, NaN.
    const QList<double> bf16{1.0, -3.0, 3.140625, std::ldexp(1.0, -133), inf, nan};
    QTest::newRow("bfloat16 raw_data") << "bf16_raw" << 16 << bf16;
    QTest::newRow("bfloat16 int32_data") << "bf16_int32" << 16 << bf16;
}

void TestModelLoader::initializerEncodings()
{
    QFETCH(QString, kind);
    QFETCH(int, elemType);
    QFETCH(QList<double>, expected);

    onnx::ModelProto m = baseModel();
    auto* t = addInit(m, "w", {static_cast<int64_t>(expected.size())}, elemType);
    const std::vector<uint16_t> halfBits{0x3C00, 0xC000, 0x3555, 0x0001, 0x03FF, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x8000};
    const std::vector<uint16_t> bf16Bits{0x3F80, 0xC040, 0x4049, 0x0001, 0x7F80, 0x7FC0};
    auto raw = [t](const auto& values) {
        std::string s(values.size() * sizeof(values[0]), '\0');
        std::memcpy(s.data(), values.data(), s.size());
        t->set_raw_data(s);
    };
    if (kind == "float_data") {
        for (double v : expected) t->add_float_data(static_cast<float>(v));
    } else if (kind == "float_raw") {
        raw(std::vector<float>{1.5f, -2.25f, 0.0f});
    } else if (kind == "double_data") {
        for (double v : expected) t->add_double_data(v);
    } else if (kind == "double_raw") {
        raw(std::vector<double>{0.5, -1e10, 3.0});
    } else if (kind == "int32_data" || kind == "int16_int32") {
        for (double v : expected) t->add_int32_data(static_cast<int32_t>(v));
    } else if (kind == "int8_int32") {
        for (double v : expected) t->add_int32_data(static_cast<int32_t>(v));
    } else if (kind == "uint8_int32" || kind == "uint16_int32" || kind == "bool_int32") {
        for (double v : expected) t->add_int32_data(static_cast<int32_t>(v));
    } else if (kind == "int8_raw") {
        raw(std::vector<int8_t>{-128, -1, 127});
    } else if (kind == "uint16_raw") {
        raw(std::vector<uint16_t>{1, 258, 65535});
    } else if (kind == "int64_data") {
        for (double v : expected) t->add_int64_data(static_cast<int64_t>(v));
    } else if (kind == "int64_raw") {
        raw(std::vector<int64_t>{-5, int64_t{1} << 40, 7});
    } else if (kind == "uint32_u64" || kind == "uint64_u64") {
        for (double v : expected) t->add_uint64_data(static_cast<uint64_t>(v));
    } else if (kind == "f16_raw") {
        raw(halfBits);
    } else if (kind == "f16_int32") {
        for (uint16_t b : halfBits) t->add_int32_data(b);
    } else if (kind == "bf16_raw") {
        raw(bf16Bits);
    } else if (kind == "bf16_int32") {
        for (uint16_t b : bf16Bits) t->add_int32_data(b);
    } else {
        QFAIL("unknown kind");
    }
    addNode(m, "Identity", {"x"}, {"y"}, "id");

    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "encodings.onnx");
    const bg::Tensor* w = g.constant("w");
    QVERIFY(w);
    QCOMPARE(w->elemType(), elemType);
    QCOMPARE(w->shape(), (bg::Shape{static_cast<int64_t>(expected.size())}));
    const bool isFloatType = elemType == 1 || elemType == 10 || elemType == 11 || elemType == 16;
    QCOMPARE(w->isFloat(), isFloatType);
    for (qsizetype k = 0; k < expected.size(); ++k) {
        const double got = w->isFloat() ? static_cast<double>(w->floats()[static_cast<size_t>(k)])
                                        : static_cast<double>(w->ints()[static_cast<size_t>(k)]);
        // double -> float32 narrowing: compare against the float32 rounding of the expectation.
        const double want = elemType == 11 ? static_cast<double>(static_cast<float>(expected[k])) : expected[k];
        QVERIFY2(sameFloat(got, want), qPrintable(QString("element %1: got %2, expected %3").arg(k).arg(got).arg(want)));
    }
}

void TestModelLoader::constantNodeForms()
{
    onnx::ModelProto m = baseModel(13);
    auto constant = [&](const std::string& out, const std::string& nodeName, auto fill) {
        auto* n = addNode(m, "Constant", {}, {out}, nodeName);
        auto* a = n->add_attribute();
        fill(a);
    };
    constant("c_tensor", "n_tensor", [](onnx::AttributeProto* a) {
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        auto* t = a->mutable_t();
        t->set_data_type(onnx::TensorProto::FLOAT);
        t->add_dims(2);
        t->add_float_data(0.25f);
        t->add_float_data(-4.0f);
    });
    constant("c_float", "n_float", [](onnx::AttributeProto* a) {
        a->set_name("value_float");
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(2.5f);
    });
    constant("c_floats", "n_floats", [](onnx::AttributeProto* a) {
        a->set_name("value_floats");
        a->set_type(onnx::AttributeProto::FLOATS);
        a->add_floats(1.0f);
        a->add_floats(2.0f);
        a->add_floats(3.0f);
    });
    constant("c_int", "n_int", [](onnx::AttributeProto* a) {
        a->set_name("value_int");
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(-9);
    });
    constant("c_ints", "n_ints", [](onnx::AttributeProto* a) {
        a->set_name("value_ints");
        a->set_type(onnx::AttributeProto::INTS);
        a->add_ints(4);
        a->add_ints(5);
    });
    addNode(m, "Identity", {"x"}, {"y"}, "id");
    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "constants.onnx");

    QCOMPARE(g.nodes.size(), size_t{1});
    QCOMPARE(g.nodes[0].opType, std::string("Identity"));
    QCOMPARE(g.constants.size(), size_t{5});
    for (const char* name : {"c_tensor", "c_float", "c_floats", "c_int", "c_ints"}) {
        QVERIFY(g.constantOrigins.at(name) == bg::ConstantOrigin::ConstantNode);
        QCOMPARE(g.constantNodeNames.at(name), "n_" + std::string(name).substr(2));
    }
    QCOMPARE(g.constant("c_tensor")->toFloatVector(), (std::vector<float>{0.25f, -4.0f}));
    QCOMPARE(g.constant("c_float")->shape(), bg::Shape{});
    QCOMPARE(g.constant("c_float")->toFloatVector(), std::vector<float>{2.5f});
    QCOMPARE(g.constant("c_floats")->shape(), bg::Shape{3});
    QCOMPARE(g.constant("c_floats")->toFloatVector(), (std::vector<float>{1, 2, 3}));
    QVERIFY(!g.constant("c_int")->isFloat());
    QCOMPARE(g.constant("c_int")->shape(), bg::Shape{});
    QCOMPARE(g.constant("c_int")->ints()[0], int64_t{-9});
    QCOMPARE(g.constant("c_ints")->toInt64Vector(), (std::vector<int64_t>{4, 5}));
    QCOMPARE(g.constant("c_ints")->elemType(), 7);
}

void TestModelLoader::externalDataLoads()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string dir = tmp.path().toStdString();
    fs::create_directories(dir + "/data");
    // 8 bytes of something else first, so the offset matters.
    writeBytes(dir + "/data/w.bin", std::string("XXXXXXXX") + floatBytes({0.5f, 1.5f, -2.5f, 8.0f}));
    onnx::ModelProto m = validModel();
    m.mutable_graph()->clear_initializer();
    externalInit(m, "data/w.bin", 8, 16);
    save(dir + "/model.onnx", m);
    const bg::Graph g = bg::loadModel(dir + "/model.onnx");
    QCOMPARE(g.constant("w")->toFloatVector(), (std::vector<float>{0.5f, 1.5f, -2.5f, 8.0f}));

    // Without offset/length the whole file is the tensor.
    writeBytes(dir + "/whole.bin", floatBytes({1, 2, 3, 4}));
    onnx::ModelProto m2 = validModel();
    m2.mutable_graph()->clear_initializer();
    externalInit(m2, "whole.bin", -1, -1);
    save(dir + "/model2.onnx", m2);
    QCOMPARE(bg::loadModel(dir + "/model2.onnx").constant("w")->toFloatVector(), (std::vector<float>{1, 2, 3, 4}));
}

void TestModelLoader::provenanceRecorded()
{
    onnx::ModelProto m = validModel();
    m.set_producer_name("exporter");
    m.set_producer_version("1.2.3");
    m.set_ir_version(8);
    auto* op = m.add_opset_import();
    op->set_domain("com.microsoft");
    op->set_version(1);
    m.mutable_graph()->set_name("my_graph");
    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "/some/where/prov.onnx");
    QCOMPARE(g.path, std::string("/some/where/prov.onnx"));
    QCOMPARE(g.producerName, std::string("exporter"));
    QCOMPARE(g.producerVersion, std::string("1.2.3"));
    QCOMPARE(g.irVersion, int64_t{8});
    QCOMPARE(g.opset, int64_t{13});
    QCOMPARE(g.opsets.at(""), int64_t{13});
    QCOMPARE(g.opsets.at("com.microsoft"), int64_t{1});
    QCOMPARE(g.graphName, std::string("my_graph"));
    QVERIFY(g.constantOrigins.at("w") == bg::ConstantOrigin::Initializer);

    // "ai.onnx" is the default domain too.
    m.mutable_opset_import(0)->set_domain("ai.onnx");
    m.mutable_opset_import(0)->set_version(11);
    QCOMPARE(bg::loadModelFromBytes(m.SerializeAsString(), "prov.onnx").opset, int64_t{11});
}

void TestModelLoader::oldIrInputsThatAreInitializers()
{
    onnx::ModelProto m = validModel();
    m.set_ir_version(3);
    auto* in = m.mutable_graph()->add_input();
    in->set_name("w");
    in->mutable_type()->mutable_tensor_type()->set_elem_type(1);
    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "old.onnx");
    QCOMPARE(g.inputs.size(), size_t{1});
    QCOMPARE(g.inputs[0].name, std::string("x"));
    QVERIFY(g.isConstant("w"));
    QCOMPARE(g.inputs[0].dims.size(), size_t{2});
    QCOMPARE(g.inputs[0].dims[1].value, int64_t{4});
}

void TestModelLoader::nodesAreSortedTopologically()
{
    onnx::ModelProto m = baseModel();
    // Written consumers-first: c reads b reads a reads x.
    addNode(m, "Relu", {"b"}, {"y"}, "c");
    addNode(m, "Relu", {"a"}, {"b"}, "b");
    addNode(m, "Relu", {"x"}, {"a"}, "a");
    addNode(m, "Relu", {"x"}, {"unused"}, "d");
    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "order.onnx");
    QCOMPARE(g.nodes.size(), size_t{4});
    std::vector<std::string> order;
    for (const bg::Node& n : g.nodes)
        order.push_back(n.name);
    // Kahn with the file's order as tie-break: a and d are ready first (a is earlier in the file).
    QCOMPARE(order, (std::vector<std::string>{"a", "b", "c", "d"}));
}

void TestModelLoader::shapeInferenceFillsValueInfo()
{
    onnx::ModelProto m = baseModel();
    addNode(m, "Relu", {"x"}, {"mid"}, "r");
    auto* t = addNode(m, "Transpose", {"mid"}, {"y"}, "t");
    auto* perm = t->add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    perm->add_ints(1);
    perm->add_ints(0);
    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "shapes.onnx");
    bool complete = false;
    QCOMPARE(g.staticShape("mid", &complete), (std::vector<int64_t>{1, 4}));
    QVERIFY(complete);
    QCOMPARE(g.staticShape("y", &complete), (std::vector<int64_t>{4, 1}));
    QVERIFY(complete);
    QCOMPARE(g.valueInfo.at("y").elemType, 1);

    bg::LoadOptions noInference;
    noInference.inferShapes = false;
    const bg::Graph g2 = bg::loadModelFromBytes(m.SerializeAsString(), "shapes.onnx", noInference);
    QVERIFY(!g2.valueInfo.count("mid"));
}

void TestModelLoader::attributesDecoded()
{
    onnx::ModelProto m = baseModel();
    auto* n = addNode(m, "Custom", {"x"}, {"y"}, "custom");
    n->set_domain("my.domain");
    auto attr = [n](const std::string& name, onnx::AttributeProto::AttributeType type) {
        auto* a = n->add_attribute();
        a->set_name(name);
        a->set_type(type);
        return a;
    };
    attr("f", onnx::AttributeProto::FLOAT)->set_f(0.5f);
    attr("i", onnx::AttributeProto::INT)->set_i(42);
    attr("s", onnx::AttributeProto::STRING)->set_s("same");
    auto* fs_ = attr("fs", onnx::AttributeProto::FLOATS);
    fs_->add_floats(1.0f);
    fs_->add_floats(-1.0f);
    auto* is = attr("is", onnx::AttributeProto::INTS);
    is->add_ints(3);
    is->add_ints(-3);
    auto* ss = attr("ss", onnx::AttributeProto::STRINGS);
    ss->add_strings("a");
    ss->add_strings("b");
    auto* t = attr("t", onnx::AttributeProto::TENSOR)->mutable_t();
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(1);
    t->add_int64_data(7);
    attr("g", onnx::AttributeProto::GRAPH)->mutable_g()->set_name("body");
    // No type set (very old exporters): inferred from the filled field.
    auto* untyped = n->add_attribute();
    untyped->set_name("untyped");
    untyped->set_i(5);
    m.mutable_opset_import()->Add()->set_domain("my.domain");

    const bg::Graph g = bg::loadModelFromBytes(m.SerializeAsString(), "attrs.onnx");
    const bg::Node& node = g.nodes.at(0);
    QCOMPARE(node.domain, std::string("my.domain"));
    QCOMPARE(node.attrFloat("f"), 0.5f);
    QCOMPARE(node.attrInt("i"), int64_t{42});
    QCOMPARE(node.attrString("s", ""), std::string("same"));
    QCOMPARE(node.attrFloats("fs", {}), (std::vector<float>{1.0f, -1.0f}));
    QCOMPARE(node.attrInts("is", {}), (std::vector<int64_t>{3, -3}));
    QCOMPARE(node.attributes.at("ss").strings, (std::vector<std::string>{"a", "b"}));
    QCOMPARE(node.attrTensor("t").toInt64Vector(), std::vector<int64_t>{7});
    QVERIFY(node.attributes.at("g").kind == bg::Attribute::Kind::Graph);
    QCOMPARE(node.attrInt("untyped"), int64_t{5});
    // The typed getters refuse the wrong kind with the node's name.
    try {
        node.attrInts("f", {});
        QFAIL("no error");
    } catch (const bg::Error& e) {
        QVERIFY(e.code() == bg::ErrorCode::BadAttribute);
        QVERIFY(std::string(e.what()).find("custom") != std::string::npos);
    }
}

void TestModelLoader::fromBytesMatchesFromFile()
{
    QTemporaryDir tmp;
    const std::string path = tmp.path().toStdString() + "/v.onnx";
    save(path, validModel());
    const bg::Graph a = bg::loadModel(path);
    QCOMPARE(a.nodes.size(), size_t{1});
    QCOMPARE(a.inputs.size(), size_t{1});
    QCOMPARE(a.outputs.size(), size_t{1});
    QCOMPARE(a.constant("w")->toFloatVector(), (std::vector<float>{1, 2, 3, 4}));
    // A tiny file (a few bytes of a valid model) is "not a model", not a crash.
    writeBytes(path, validModel().SerializeAsString().substr(0, 1));
    QVERIFY_THROWS_EXCEPTION(bg::Error, bg::loadModel(path));
}

void TestModelLoader::everyPrefixAndByteFlipFailsCleanly()
{
    // A small model with a Constant node, an attribute and external-looking metadata.
    onnx::ModelProto m = validModel();
    auto* n = addNode(m, "Constant", {}, {"c"}, "k");
    auto* a = n->add_attribute();
    a->set_name("value_ints");
    a->set_type(onnx::AttributeProto::INTS);
    a->add_ints(3);
    const std::string bytes = m.SerializeAsString();
    int loaded = 0;
    int truncated = 0;
    auto attempt = [&](const std::string& b) {
        try {
            bg::loadModelFromBytes(b, "fuzz.onnx");
            ++loaded;
        } catch (const bg::Error& e) {
            truncated += e.code() == bg::ErrorCode::Truncated;
            QVERIFY2(std::string(e.what()).rfind("fuzz.onnx", 0) == 0, e.what());
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("a non-bg exception escaped: ") + e.what()));
        }
    };
    for (size_t len = 0; len < bytes.size(); ++len)
        attempt(bytes.substr(0, len));
    // Most prefixes end inside the graph field, which is reported as truncation.
    QVERIFY2(truncated > static_cast<int>(bytes.size()) / 2, qPrintable(QString::number(truncated)));
    for (size_t pos = 0; pos < bytes.size(); ++pos) {
        for (char v : {'\x00', '\xff', '\x7f'}) {
            std::string b = bytes;
            b[pos] = v;
            attempt(b);
        }
    }
    QVERIFY(loaded > 0);  // some flips only change a name or a value
}

namespace {

// Sum of the channel counts (length of the scale input) of BatchNormalization nodes fed by a Conv:
// the README's "BN channels" of the Conv->BN pairs. bnCount counts every BN node.
int64_t bnChannels(const bg::Graph& g, int* bnCount)
{
    int64_t channels = 0;
    *bnCount = 0;
    for (const bg::Node& n : g.nodes) {
        if (n.opType != "BatchNormalization")
            continue;
        ++*bnCount;
        const int producer = g.producerOf(n.input(0));
        const bg::Tensor* scale = g.constant(n.input(1));
        if (producer >= 0 && g.nodes[static_cast<size_t>(producer)].opType == "Conv")
            channels += scale ? scale->numel() : 0;
    }
    return channels;
}

} // namespace

void TestModelLoader::paddleOcrClassifier()
{
    const bg::Graph g = bg::loadModel(bgtest::sourcePath("resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"));
    QCOMPARE(g.opset, int64_t{9});
    QCOMPARE(g.inputs.size(), size_t{1});
    QCOMPARE(g.inputs[0].name, std::string("x"));
    QVERIFY(g.inputs[0].hasShape);
    // The README's x [1,3,48,192] is how the model is used; the file itself (paddle2onnx) declares
    // every dimension but the channels symbolic.
    std::vector<int64_t> dims;
    for (const bg::Dim& d : g.inputs[0].dims)
        dims.push_back(d.value);
    QCOMPARE(dims, (std::vector<int64_t>{-1, 3, -1, -1}));
    QCOMPARE(g.inputs[0].dims[0].param, std::string("p2o.DynamicDimension.0"));
    QVERIFY(!g.nodes.empty());
    for (const bg::Node& n : g.nodes)
        QVERIFY(n.opType != "Constant");
    // Every weight is a Constant node in these models.
    QVERIFY(g.constants.size() > 100);
    for (const auto& [name, origin] : g.constantOrigins)
        QVERIFY(origin == bg::ConstantOrigin::ConstantNode);
    int bnCount = 0;
    // Numbers from resources/models/paddleocr/README.md (counted there independently).
    QCOMPARE(bnChannels(g, &bnCount), int64_t{2136});
    QCOMPARE(bnCount, 35);
    // The output: [N, 2] class probabilities, N symbolic.
    bool complete = true;
    QCOMPARE(g.staticShape(g.outputs.at(0).name, &complete), (std::vector<int64_t>{-1, 2}));
    QVERIFY(!complete);
    // Shape inference reaches inner tensors: the first Conv's output has 3 -> some channels,
    // with rank 4 known even though batch and spatial sizes are symbolic.
    const bg::Node* conv = nullptr;
    for (const bg::Node& n : g.nodes)
        if (n.opType == "Conv" && !conv)
            conv = &n;
    QVERIFY(conv);
    QVERIFY(g.valueInfo.count(conv->outputs[0]));
    QCOMPARE(g.valueInfo.at(conv->outputs[0]).dims.size(), size_t{4});
    QCOMPARE(g.valueInfo.at(conv->outputs[0]).dims[1].value, g.constant(conv->inputs[1])->dim(0));
}

void TestModelLoader::paddleOcrDetector()
{
    const bg::Graph g = bg::loadModel(bgtest::sourcePath("resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx"));
    QCOMPARE(g.opset, int64_t{11});
    QCOMPARE(g.inputs.size(), size_t{1});
    QCOMPARE(g.inputs[0].name, std::string("x"));
    std::vector<int64_t> dims;
    for (const bg::Dim& d : g.inputs[0].dims)
        dims.push_back(d.value);
    QCOMPARE(dims, (std::vector<int64_t>{-1, 3, -1, -1}));
    int bnCount = 0;
    QCOMPARE(bnChannels(g, &bnCount), int64_t{40});
    QCOMPARE(bnCount, 3);  // two after a Conv, one after an Add
    for (const bg::Node& n : g.nodes)
        QVERIFY(n.opType != "Constant");
}

QTEST_APPLESS_MAIN(TestModelLoader)
#include "tst_model_loader.moc"
